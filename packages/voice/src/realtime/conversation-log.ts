/**
 * What a call has said so far, kept by `ResilientModel` so a replacement connection that cannot
 * resume the provider's own state (OpenAI, or Gemini with an expired handle) starts with a
 * compact summary of the conversation instead of a blank slate. The summary is the recent
 * transcript, clipped to a character budget (no model call: it must be instant and free).
 */

export interface LogEntry {
  role: 'caller' | 'agent' | 'tool';
  text: string;
}

const MAX_TOOL_CHARS = 300;
const MAX_ENTRIES = 500;

export class ConversationLog {
  #entries: LogEntry[] = [];

  get entries(): readonly LogEntry[] {
    return this.#entries;
  }

  add(role: LogEntry['role'], text: string): void {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    this.#entries.push({ role, text: clean });
    if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
  }

  toolCall(name: string, args: string): void {
    this.add('tool', `${name} called with ${clip(args, MAX_TOOL_CHARS)}`);
  }

  toolResult(name: string, output: string): void {
    this.add('tool', `${name} returned ${clip(output, MAX_TOOL_CHARS)}`);
  }

  /** The most recent entries that fit in `maxChars`, oldest first, one per line. */
  summary(maxChars: number): string {
    const lines: string[] = [];
    let used = 0;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i];
      if (!entry) continue;
      const line = `${LABEL[entry.role]}: ${entry.text}`;
      if (used + line.length + 1 > maxChars) {
        lines.push('(earlier conversation omitted)');
        break;
      }
      lines.push(line);
      used += line.length + 1;
    }
    return lines.reverse().join('\n');
  }
}

const LABEL: Record<LogEntry['role'], string> = { caller: 'Caller', agent: 'You', tool: 'Tool' };

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Session instructions for a replacement connection: the originals plus where the call stands. */
export function seededInstructions(base: string, summary: string): string {
  if (!summary) return base;
  return [
    base,
    '# Conversation so far',
    'This call is already in progress; your connection was re-established. Do not greet the caller again and do not repeat what you already said: continue naturally from where the conversation left off.',
    summary,
  ].join('\n\n');
}
