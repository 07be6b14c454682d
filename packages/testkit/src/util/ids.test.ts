import { describe, expect, it } from 'vitest';
import { openAiId, twilioSid } from './ids.ts';

describe('ids', () => {
  it('makes 34-character Twilio SIDs', () => {
    expect(twilioSid('CA')).toMatch(/^CA[0-9a-f]{32}$/);
    expect(twilioSid('MZ')).not.toBe(twilioSid('MZ'));
  });

  it('makes unique OpenAI-looking ids with 21 characters after the prefix', () => {
    const a = openAiId('event');
    const b = openAiId('event');
    expect(a).toMatch(/^event_[0-9A-Za-z]{21}$/);
    expect(a).not.toBe(b);
  });
});
