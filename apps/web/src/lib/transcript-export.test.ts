import type { CallDetail } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { transcriptJson, transcriptText } from './transcript-export.ts';

const call = {
  id: 'c1',
  direction: 'inbound',
  startedAt: '2026-01-01T10:00:00.000Z',
  createdAt: '2026-01-01T10:00:00.000Z',
  durationS: 70,
  summary: 'Dana booked a cleaning.',
  disposition: 'meeting_booked',
  extraction: { company: 'Globex' },
  transcript: [
    { role: 'assistant', text: 'Hello!', atMs: 500 },
    { role: 'system', text: 'hidden', atMs: 600 },
    { role: 'user', text: 'Hi, I need a cleaning.', atMs: 65_000 },
  ],
} as unknown as CallDetail;

describe('transcript export', () => {
  it('writes one line per turn with its time, after the summary', () => {
    expect(transcriptText(call)).toBe(
      'Call c1 (inbound) 2026-01-01T10:00:00.000Z\nSummary: Dana booked a cleaning.\nOutcome: meeting_booked\n\n[0:00] Agent: Hello!\n[1:05] Caller: Hi, I need a cleaning.\n',
    );
  });

  it('exports the analysis and the transcript as JSON', () => {
    expect(JSON.parse(transcriptJson(call))).toMatchObject({
      id: 'c1',
      disposition: 'meeting_booked',
      extraction: { company: 'Globex' },
      transcript: [{ role: 'assistant' }, { role: 'system' }, { role: 'user' }],
    });
  });
});
