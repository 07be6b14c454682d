import { describe, expect, it } from 'vitest';
import { parseServerFrame, toServerEvent } from './events.ts';

const frame = (event: object) => parseServerFrame(JSON.stringify(event), false);

describe('OpenAI server events', () => {
  it('parses the events the adapter handles into typed events', () => {
    expect(frame({ type: 'response.created', response: { id: 'r1' } })).toEqual({
      type: 'response.created',
      responseId: 'r1',
    });
    expect(frame({ type: 'response.output_audio.delta', item_id: 'i1', delta: 'AAAA' })).toEqual({
      type: 'response.output_audio.delta',
      itemId: 'i1',
      delta: 'AAAA',
    });
    expect(
      frame({
        type: 'response.output_item.done',
        item: { type: 'function_call', call_id: 'c1', name: 'end_call' },
      }),
    ).toEqual({ type: 'function_call', callId: 'c1', name: 'end_call', arguments: '{}' });
    expect(frame({ type: 'response.done', response: { id: 'r1', status: 'in_progress' } })).toEqual({
      type: 'response.done',
      responseId: 'r1',
      status: 'completed',
      usage: undefined,
    });
  });

  it('ignores other events explicitly, and handled ones missing what the adapter needs', () => {
    expect(frame({ type: 'session.created', session: {} })).toEqual({
      type: 'ignored',
      name: 'session.created',
    });
    expect(frame({ type: 'rate_limits.updated', rate_limits: [] }).type).toBe('ignored');
    expect(frame({ type: 'response.output_audio.delta', delta: 'AAAA' }).type).toBe('ignored');
    expect(frame({ type: 'response.output_item.done', item: { type: 'message' } }).type).toBe('ignored');
    expect(toServerEvent(null)).toEqual({ type: 'ignored', name: '' });
    expect(toServerEvent(42)).toEqual({ type: 'ignored', name: '' });
  });

  it('marks frames it cannot read as malformed', () => {
    expect(parseServerFrame('not json', false).type).toBe('malformed');
    expect(parseServerFrame(Buffer.from('{}'), true).type).toBe('malformed');
    expect(frame({ type: 'response.output_item.done', item: { type: 'function_call', name: 'x' } })).toEqual({
      type: 'malformed',
      message: 'openai: function_call item without call_id/name',
    });
  });
});
