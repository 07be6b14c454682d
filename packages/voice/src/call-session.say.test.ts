import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createLoopbackCall, startLoopbackCall } from './testing/loopback-call.ts';
import { flushMicrotasks } from './testing/memory-socket.ts';
import { ScriptedModel } from './testing/scripted-model.ts';
import { ToolRegistry } from './tools/registry.ts';

const ulaw = (ms: number, fill = 0x55) => Buffer.alloc(ms * 8, fill).toString('base64');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

async function live() {
  const journal: string[] = [];
  const model = new ScriptedModel({ journal });
  const tools = new ToolRegistry<object>().register({
    name: 'lookup',
    description: 'Look up.',
    parameters: z.object({}),
    handler: () => ({ ok: true }),
  });
  const call = await startLoopbackCall<object>({
    model,
    journal,
    tools,
    setup: { enabledTools: ['lookup'], toolContext: {} },
  });
  return { call, m: model.session, journal };
}

describe('CallSession.say', () => {
  it('is refused before the call is live', async () => {
    const c = await createLoopbackCall({ model: new ScriptedModel() });
    expect(await c.session!.say('Hello')).toBe(false);
  });

  it('cuts what is playing, speaks, and resolves once its own response has played', async () => {
    const { call, m, journal } = await live();
    m.emit('response_started', { responseId: 'r1' });
    m.audio('item_1', ulaw(200));
    await flushMicrotasks();
    journal.length = 0;

    let played: boolean | undefined;
    void call.session.say('Leave the voicemail now.').then((v) => {
      played = v;
    });
    expect(journal).toEqual([
      'twilio:clear',
      'model:cancelResponse',
      'model:truncate',
      'model:createResponse',
    ]);
    expect(m.callsOf('createResponse')).toEqual([['Leave the voicemail now.']]);
    m.emit('response_done', { responseId: 'r1', status: 'cancelled' });
    m.emit('response_started', { responseId: 'r2' });
    m.audio('item_2', ulaw(300));
    m.emit('response_done', { responseId: 'r2', status: 'completed' });
    await flushMicrotasks(20);
    expect(played).toBeUndefined(); // generated, not yet heard
    call.twilio.playMarks();
    await flushMicrotasks(20);
    expect(played).toBe(true);
    // Cutting itself short is not a caller barge-in.
    expect(call.of('barge_in')).toEqual([]);
    expect(call.of('playback').map((p) => [p.itemId, p.interrupted])).toEqual([
      ['item_1', true],
      ['item_2', false],
    ]);
  });

  it('waits behind the current response without interrupting when asked', async () => {
    const { call, m, journal } = await live();
    m.emit('response_started', { responseId: 'r1' });
    journal.length = 0;
    void call.session.say('Greet them.', { interrupt: false });
    expect(journal).toEqual(['model:createResponse']);
  });

  it('with `last`, asks for no more turns after tool results', async () => {
    const { call, m } = await live();
    void call.session.say('Goodbye message.', { last: true });
    m.emit('tool_call', { callId: 'c1', name: 'lookup', arguments: '{}' });
    await flushMicrotasks(20);
    expect(m.callsOf('sendToolResult')).toHaveLength(1);
    expect(m.callsOf('createResponse')).toEqual([['Goodbye message.']]);
  });

  it('resolves when the call ends before the response played', async () => {
    const { call, m } = await live();
    let played: boolean | undefined;
    void call.session.say('Hello?').then((v) => {
      played = v;
    });
    m.emit('response_started', { responseId: 'r1' });
    m.audio('item_1', ulaw(300));
    call.twilio.stop();
    await flushMicrotasks(50);
    expect(played).toBe(true);
    expect(call.of('ended')).toHaveLength(1);
  });
});
