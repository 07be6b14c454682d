import { PCMU_8K } from '@switchboard/audio';
import { afterEach, describe, expect, it } from 'vitest';
import { VoiceError } from '../errors.ts';
import { pollUntil, recordEvents } from '../testing/record-events.ts';
import { ScriptedModel, type ScriptedModelSession } from '../testing/scripted-model.ts';
import type { SessionLifecycleEvents } from './lifecycle.ts';
import { ResilientModel, type ResilientModelOptions } from './resilient.ts';
import type { ResilientSession, ResilientSessionEvents } from './resilient-session.ts';
import type { ModelCapabilities, ModelConnectOptions } from './types.ts';

const open: ResilientSession[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const OPTIONS: ModelConnectOptions = {
  session: { model: 'm', instructions: 'Be helpful.', tools: [], credentials: { apiKey: 'k' } },
  inputFormat: PCMU_8K,
  outputFormat: PCMU_8K,
};

async function setup(
  caps: Partial<ModelCapabilities> = {},
  options: ResilientModelOptions = {},
  beforeConnect?: (n: number) => void,
) {
  let n = 0;
  const inner = new ScriptedModel({
    capabilities: caps,
    beforeConnect: () => beforeConnect?.(n++),
  });
  const model = new ResilientModel(inner, { backoffMs: [10], ...options });
  const session = (await model.connect(OPTIONS)) as ResilientSession;
  open.push(session);
  const { of } = recordEvents<ResilientSessionEvents>(session, [
    'audio',
    'transcript',
    'tool_call',
    'response_started',
    'response_done',
    'error',
    'closed',
    'speech_stopped',
    'reconnecting',
    'reconnected',
    'reconnect_failed',
  ]);
  const until = (probe: () => boolean, label = 'condition') =>
    pollUntil(probe, { timeoutMs: 5000, intervalMs: 2, label });
  return { inner, session, of, until };
}

const lifecycle = <K extends keyof SessionLifecycleEvents>(
  s: ScriptedModelSession,
  event: K,
  payload: SessionLifecycleEvents[K],
) => (s.emit as unknown as (e: K, p: SessionLifecycleEvents[K]) => void)(event, payload);

const drop = (s: ScriptedModelSession) => s.emit('closed', { code: 1006, reason: '', expected: false });

function talk(s: ScriptedModelSession, user: string, agent: string, n: number) {
  s.emit('transcript', { role: 'user', text: user, final: true, itemId: `u${n}` });
  s.emit('response_started', { responseId: `r${n}` });
  s.audio(`a${n}`, 'AAAA');
  s.emit('transcript', { role: 'assistant', text: agent, final: true, itemId: `a${n}` });
  s.emit('response_done', { responseId: `r${n}`, status: 'completed' });
}

describe('ResilientModel', () => {
  it('forwards events and calls to the current connection and closes once', async () => {
    const { inner, session, of } = await setup();
    talk(inner.session, 'Hi', 'Hello!', 1);
    session.sendAudio('AAAA', PCMU_8K);
    session.truncate('a1', 10);
    session.sendDtmf('1');
    expect(of('transcript').map((t) => t.text)).toEqual(['Hi', 'Hello!']);
    expect(inner.session.calls.map((c) => c.method)).toEqual(['sendAudio', 'truncate', 'sendDtmf']);
    await session.close();
    expect(of('closed')).toEqual([{ code: 1000, reason: 'closed', expected: true }]);
  });

  it('reconnects after a drop and seeds the new session with a summary of the conversation', async () => {
    const { inner, session, of, until } = await setup();
    talk(inner.session, 'I need a plumber', 'Sure, what is your address?', 1);
    inner.session.emit('response_started', { responseId: 'r2' });
    const first = inner.session;
    drop(first);
    await until(() => of('reconnected').length === 1);
    expect(of('reconnected')[0]).toMatchObject({ reason: 'dropped', attempts: 1, resumed: false });
    expect(of('response_done').at(-1)).toEqual({ responseId: 'r2', status: 'cancelled' });
    const instructions = inner.connects[1]?.session.instructions ?? '';
    expect(instructions.startsWith('Be helpful.\n\n# Conversation so far')).toBe(true);
    expect(instructions).toContain('Caller: I need a plumber\nYou: Sure, what is your address?');
    expect(of('closed')).toEqual([]);
    first.audio('late', 'AAAA'); // the replaced connection is no longer heard
    inner.session.audio('a3', 'BBBB');
    expect(of('audio').map((a) => a.itemId)).toEqual(['a1', 'a3']);
    session.truncate('a1', 10);
    expect(inner.session.callsOf('truncate')).toEqual([]);
  });

  it("keeps speech positions on the call's audio timeline across connections", async () => {
    const { inner, session, of, until } = await setup();
    session.sendAudio(Buffer.alloc(8000, 0xff).toString('base64'), PCMU_8K); // 1 s
    inner.session.emit('speech_stopped', { audioEndMs: 900 });
    drop(inner.session);
    await until(() => of('reconnected').length === 1);
    session.sendAudio(Buffer.alloc(1600, 0xff).toString('base64'), PCMU_8K);
    inner.session.emit('speech_stopped', { audioEndMs: 150 });
    expect(of('speech_stopped')).toEqual([{ audioEndMs: 900 }, { audioEndMs: 1150 }]);
  });

  it('on going_away waits for a quiet moment, then resumes with the latest handle', async () => {
    const { inner, session, of, until } = await setup({ sessionResumption: true });
    const first = inner.session;
    lifecycle(first, 'resumption', { handle: 'h1', resumable: true });
    first.emit('response_started', { responseId: 'r1' });
    lifecycle(first, 'resumption', { handle: 'h1', resumable: false });
    lifecycle(first, 'going_away', { timeLeftMs: 30_000, reason: 'go_away' });
    await new Promise((r) => setTimeout(r, 30));
    expect(inner.connects).toHaveLength(1);
    first.emit('response_done', { responseId: 'r1', status: 'completed' });
    expect(inner.connects).toHaveLength(1); // not resumable yet
    lifecycle(first, 'resumption', { handle: 'h2', resumable: true });
    await until(() => of('reconnected').length === 1);
    expect((inner.connects[1] as { resume?: unknown }).resume).toEqual({ handle: 'h2' });
    expect(inner.connects[1]?.session.instructions).toBe('Be helpful.');
    expect(of('reconnected')[0]).toMatchObject({ reason: 'go_away', resumed: true });
    expect(first.closed).toBe(true);
    session.sendAudio('CCCC', PCMU_8K);
    expect(inner.session.callsOf('sendAudio')).toEqual([['CCCC', PCMU_8K]]);
  });

  it('swaps at the goAway deadline even when never quiet', async () => {
    const { inner, of, until } = await setup({ sessionResumption: true }, { goAwayMarginMs: 1000 });
    inner.session.emit('response_started', { responseId: 'r1' });
    lifecycle(inner.session, 'going_away', { timeLeftMs: 1050, reason: 'go_away' });
    await until(() => of('reconnected').length === 1);
    expect(of('response_done')).toEqual([{ responseId: 'r1', status: 'cancelled' }]);
  });

  it('falls back to a summary when the handle is refused', async () => {
    const { inner, of, until } = await setup({ sessionResumption: true }, {}, (n) => {
      if (n === 1) throw new VoiceError('model_rejected_config', 'handle expired', { recoverable: false });
    });
    talk(inner.session, 'Book me in', 'Done.', 1);
    lifecycle(inner.session, 'resumption', { handle: 'old', resumable: true });
    drop(inner.session);
    await until(() => of('reconnected').length === 1);
    expect(inner.connects).toHaveLength(3);
    expect((inner.connects[1] as { resume?: unknown }).resume).toEqual({ handle: 'old' });
    expect((inner.connects[2] as { resume?: unknown }).resume).toBeUndefined();
    expect(inner.connects[2]?.session.instructions).toContain('Caller: Book me in');
    expect(of('reconnected')[0]?.resumed).toBe(false);
  });

  it('gives up after maxAttempts and closes with the drop', async () => {
    const { inner, of, until } = await setup({}, { maxAttempts: 2 }, (n) => {
      if (n > 0) throw new VoiceError('model_connect_failed', 'down', { recoverable: true });
    });
    drop(inner.session);
    await until(() => of('closed').length === 1);
    expect(of('closed')[0]).toEqual({ code: 1006, reason: '', expected: false });
    expect(of('reconnecting').map((r) => r.attempt)).toEqual([1, 2]);
    expect(of('reconnect_failed')).toEqual([
      { reason: 'dropped', attempts: 2, code: 'model_connect_failed' },
    ]);
  });

  it('folds a tool result of a replaced connection into the next response', async () => {
    const { inner, session, of, until } = await setup();
    inner.session.emit('tool_call', { callId: 'c1', name: 'lookup', arguments: '{"q":1}' });
    drop(inner.session);
    await until(() => of('reconnected').length === 1);
    session.sendToolResult('c1', '{"found":true}', { name: 'lookup' });
    expect(inner.session.callsOf('sendToolResult')).toEqual([]);
    session.createResponse();
    const [instructions] = (inner.session.callsOf('createResponse')[0] ?? []) as string[];
    expect(instructions).toContain('Tool: lookup called with {"q":1}');
    expect(instructions).toMatch(/the tool "lookup" returned: \{"found":true\}\. Use this result now\.$/);
  });

  it('drops the result of a tool call the provider cancelled, even after a swap', async () => {
    const { inner, session, of, until } = await setup({ autoReplyAfterToolResult: true });
    inner.session.emit('tool_call', { callId: 'c1', name: 'lookup', arguments: '{}' });
    lifecycle(inner.session, 'tool_calls_cancelled', { callIds: ['c1'] });
    drop(inner.session);
    await until(() => of('reconnected').length === 1);
    session.sendToolResult('c1', '"late"', { name: 'lookup' });
    expect(inner.session.calls).toEqual([]);
  });

  it('asks for the reply itself when the model answers tool results on its own', async () => {
    const { inner, session, of, until } = await setup({ autoReplyAfterToolResult: true });
    inner.session.emit('tool_call', { callId: 'c1', name: 'lookup', arguments: '{}' });
    drop(inner.session);
    await until(() => of('reconnected').length === 1);
    session.sendToolResult('c1', '"ok"', { name: 'lookup' });
    expect(inner.session.callsOf('createResponse')).toHaveLength(1);
  });

  it('replaces the connection proactively at maxSessionMs', async () => {
    const { inner, of, until } = await setup({}, { maxSessionMs: 30 });
    talk(inner.session, 'Hello', 'Hi', 1);
    await until(() => of('reconnected').length === 1);
    expect(of('reconnected')[0]).toMatchObject({ reason: 'session_cap', resumed: false });
    expect(inner.connects[1]?.session.instructions).toContain('Caller: Hello\nYou: Hi');
  });
});
