import { describe, expect, it } from 'vitest';
import { Conversation } from './conversation.ts';

describe('Conversation', () => {
  it('tracks order, previous ids, tool calls and the last assistant audio item', () => {
    const c = new Conversation();
    expect(c.add({ id: 'u1', type: 'message', role: 'user', audioBytes: 0 })).toBeNull();
    expect(c.add({ id: 'a1', type: 'message', role: 'assistant', audioBytes: 800 })).toBe('u1');
    expect(c.add({ id: 'f1', type: 'function_call', callId: 'call_1', audioBytes: 0 })).toBe('a1');
    expect(c.previousItemId('f1')).toBe('a1');
    expect(c.findCall('call_1')?.id).toBe('f1');
    expect(c.lastAssistantAudioItem()?.id).toBe('a1');
    expect(c.delete('a1')).toBe(true);
    expect(c.previousItemId('f1')).toBe('u1');
    expect(c.lastAssistantAudioItem()).toBeUndefined();
    expect(c.size).toBe(2);
    expect(c.id).toMatch(/^conv_/);
  });
});
