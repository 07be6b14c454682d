/** Transcript export: plain text (one line per turn with its time) or the call as JSON. */
import type { CallDetail } from '@switchboard/shared';

function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function transcriptText(call: CallDetail): string {
  const head = [
    `Call ${call.id} (${call.direction}) ${call.startedAt ?? call.createdAt}`,
    call.summary ? `Summary: ${call.summary}` : null,
    call.disposition ? `Outcome: ${call.disposition}` : null,
    '',
  ].filter((l) => l !== null);
  const lines = call.transcript
    .filter((s) => s.role !== 'system')
    .map((s) => `[${clock(s.atMs)}] ${s.role === 'user' ? 'Caller' : 'Agent'}: ${s.text}`);
  return `${[...head, ...lines].join('\n')}\n`;
}

export function transcriptJson(call: CallDetail): string {
  const { transcript, summary, disposition, extraction, id, direction, startedAt, durationS } = call;
  return `${JSON.stringify({ id, direction, startedAt, durationS, summary, disposition, extraction, transcript }, null, 2)}\n`;
}

/** Saves text as a file through a temporary object URL. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
