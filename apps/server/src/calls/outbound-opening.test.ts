import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutboundOpening } from './outbound-opening.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function opening(answeredBy: string | null = null) {
  const done: string[] = [];
  const o = new OutboundOpening({
    greeting: 'Hi, this is Riley from Maple Street Dental.',
    answeredBy,
    waitMs: 5000,
    actions: {
      say: async (instructions) => {
        done.push(`say:${instructions.includes('Maple Street') ? 'greeting' : instructions}`);
        return true;
      },
      leaveVoicemail: async () => {
        done.push('voicemail');
      },
      hangup: async (reason) => {
        done.push(`hangup:${reason}`);
      },
    },
  });
  return { o, done };
}

describe('OutboundOpening', () => {
  it('greets a person once AMD says human, and only once', () => {
    const { o, done } = opening();
    o.ready();
    o.answeredBy('human');
    o.answeredBy('unknown');
    vi.advanceTimersByTime(10_000);
    expect(done).toEqual(['say:greeting']);
  });

  it('leaves the voicemail after the beep, even after a greeting went out', () => {
    const { o, done } = opening();
    o.ready();
    vi.advanceTimersByTime(5000); // nobody spoke, no AMD yet: greet anyway
    o.answeredBy('machine_end_beep');
    o.answeredBy('machine_end_beep');
    expect(done).toEqual(['say:greeting', 'voicemail']);
  });

  it('does not greet when the conversation already started, and hangs up on a fax', () => {
    const { o, done } = opening();
    o.ready();
    o.engaged();
    vi.advanceTimersByTime(10_000);
    o.answeredBy('human');
    expect(done).toEqual([]);
    const fax = opening();
    fax.o.ready();
    fax.o.answeredBy('fax');
    expect(fax.done).toEqual(['hangup:fax']);
  });

  it('applies a result that arrived before the model was ready', () => {
    const early = opening();
    early.o.answeredBy('machine_end_silence');
    expect(early.done).toEqual([]);
    early.o.ready();
    expect(early.done).toEqual(['voicemail']);
    const stored = opening('human');
    stored.o.ready();
    expect(stored.done).toEqual(['say:greeting']);
  });

  it('does nothing after stop', () => {
    const { o, done } = opening();
    o.ready();
    o.stop();
    o.answeredBy('machine_end_beep');
    vi.advanceTimersByTime(10_000);
    expect(done).toEqual([]);
  });
});
