import { describe, expect, it } from 'vitest';
import { keypadShortcutProblems, unmetToolPrerequisites } from './agents.ts';

describe('tool prerequisites', () => {
  it('names the tools that cannot work and why', () => {
    const unmet = unmetToolPrerequisites(
      { tools: ['transfer_call', 'send_sms', 'end_call'], transferNumber: null },
      { twilio: false },
    );
    expect(Object.keys(unmet)).toEqual(['transfer_call', 'send_sms']);
    expect(unmet.transfer_call).toMatch(/transfer number/);
    expect(
      unmetToolPrerequisites(
        { tools: ['transfer_call', 'send_sms'], transferNumber: '+14155550100' },
        { twilio: true },
      ),
    ).toEqual({});
  });

  it('flags keypad shortcuts without a target', () => {
    expect(
      keypadShortcutProblems({ dtmfActions: { '1': 'transfer_call', '9': 'end_call' }, transferNumber: ' ' }),
    ).toEqual({ '1': expect.stringMatching(/^Transfer to a person: Needs a transfer number/) });
    expect(
      keypadShortcutProblems({ dtmfActions: { '1': 'transfer_call' }, transferNumber: '+14155550100' }),
    ).toEqual({});
  });
});
