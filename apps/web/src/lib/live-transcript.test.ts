import { describe, expect, it } from 'vitest';
import { type Line, mergeTranscript } from './live-transcript.ts';

const run = (msgs: Line[]) => msgs.reduce<Line[]>((acc, m) => mergeTranscript(acc, m), []);

describe('browser test call transcript', () => {
  it('accepts cumulative interim text', () => {
    expect(
      run([
        { role: 'assistant', text: 'Hello', final: false },
        { role: 'assistant', text: 'Hello, this is', final: false },
        { role: 'assistant', text: 'Hello, this is Acme.', final: true },
      ]),
    ).toEqual([{ role: 'assistant', text: 'Hello, this is Acme.', final: true }]);
  });
  it('accepts delta interim text', () => {
    expect(
      run([
        { role: 'assistant', text: 'Hi', final: false },
        { role: 'assistant', text: ' there', final: false },
      ]),
    ).toEqual([{ role: 'assistant', text: 'Hi there', final: false }]);
  });
  it('starts a new line when the speaker changes or after a final line', () => {
    const lines = run([
      { role: 'assistant', text: 'Hi', final: true },
      { role: 'assistant', text: 'Anything else?', final: true },
      { role: 'user', text: 'No', final: false },
      { role: 'assistant', text: 'Bye', final: true },
    ]);
    expect(lines.map((l) => l.text)).toEqual(['Hi', 'Anything else?', 'No', 'Bye']);
  });
});
