import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { startLoopbackCall } from './testing/loopback-call.ts';
import { flushMicrotasks } from './testing/memory-socket.ts';
import { ScriptedModel } from './testing/scripted-model.ts';
import { ToolRegistry } from './tools/registry.ts';

interface Ctx {
  orgId: string;
}

const ulaw = (ms: number) => Buffer.alloc(ms * 8, 0x55).toString('base64');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

function registry(seen: { signal?: AbortSignal } = {}) {
  return new ToolRegistry<Ctx>()
    .register({
      name: 'lookup',
      description: 'Look something up.',
      parameters: z.object({ q: z.string() }),
      handler: async (args, ctx) => ({ answer: `${args.q}!`, org: ctx.orgId }),
    })
    .register({
      name: 'slow',
      description: 'Waits for the abort signal.',
      parameters: z.object({}),
      timeoutMs: 1000,
      handler: (_args, ctx) => {
        seen.signal = ctx.signal;
        return new Promise(() => {});
      },
    })
    .register({
      name: 'end_call',
      description: 'Hang up after the goodbye.',
      parameters: z.object({}),
      handler: (_args, ctx) => {
        void ctx.control.endCall({ reason: 'goodbye' });
        return { ok: true };
      },
    })
    .register({
      name: 'transfer_call',
      description: 'Transfer.',
      parameters: z.object({}),
      handler: async (_args, ctx) => {
        await ctx.control.transfer('<Response><Dial>+15550100</Dial></Response>', { afterPlayback: false });
        return { transferred: true };
      },
    });
}

const ALL = ['lookup', 'slow', 'end_call', 'transfer_call'];

async function call(
  opts: { autoReply?: boolean; seen?: { signal?: AbortSignal }; hangup?: () => Promise<void> } = {},
) {
  const model = new ScriptedModel({ capabilities: { autoReplyAfterToolResult: opts.autoReply ?? false } });
  const control = {
    hangup: vi.fn(opts.hangup ?? (async () => {})),
    redirect: vi.fn(async (_twiml: string) => {}),
  };
  const c = await startLoopbackCall<Ctx>({
    model,
    tools: registry(opts.seen),
    control,
    setup: { enabledTools: ALL, toolContext: { orgId: 'org_1' } },
  });
  return { ...c, m: model.session, control };
}

describe('CallSession: tools', () => {
  it('runs a tool, returns its result and asks for a reply once the response is done', async () => {
    const { m, of } = await call();
    m.emit('response_started', { responseId: 'r1' });
    m.emit('tool_call', { callId: 'c1', name: 'lookup', arguments: '{"q":"hours"}' });
    await flushMicrotasks();
    expect(m.callsOf('sendToolResult')).toEqual([
      ['c1', '{"answer":"hours!","org":"org_1"}', { name: 'lookup' }],
    ]);
    expect(m.callsOf('createResponse')).toEqual([]);
    m.emit('response_done', { responseId: 'r1', status: 'completed' });
    expect(m.callsOf('createResponse')).toEqual([[]]);
    expect(of('tool_call')).toEqual([
      {
        callId: 'c1',
        name: 'lookup',
        arguments: { q: 'hours' },
        ok: true,
        result: { answer: 'hours!', org: 'org_1' },
        durationMs: expect.any(Number),
        atMs: 0,
      },
    ]);
  });

  it('returns bad arguments and unknown tools to the model as structured errors', async () => {
    const { m, of } = await call();
    m.emit('tool_call', { callId: 'c1', name: 'lookup', arguments: '{"q":1}' });
    m.emit('tool_call', { callId: 'c2', name: 'delete_everything', arguments: '{}' });
    await flushMicrotasks();
    const outputs = m
      .callsOf('sendToolResult')
      .map(([id, out]) => [id, JSON.parse(out as string).error.code])
      .sort();
    expect(outputs).toEqual([
      ['c1', 'bad_arguments'],
      ['c2', 'unknown_tool'],
    ]);
    expect(
      of('tool_call')
        .map((t) => [t.name, t.ok, t.error?.code])
        .sort(),
    ).toEqual([
      ['delete_everything', false, 'unknown_tool'],
      ['lookup', false, 'bad_arguments'],
    ]);
    expect(m.callsOf('createResponse')).toEqual([[]]);
  });

  it('times a tool out and still replies', async () => {
    const { m, of } = await call();
    m.emit('tool_call', { callId: 'c1', name: 'slow', arguments: '{}' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(of('tool_call')[0]).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(m.callsOf('createResponse')).toEqual([[]]);
  });

  it('replies once after concurrent tool calls all finished', async () => {
    const { m } = await call();
    m.emit('response_started', { responseId: 'r1' });
    m.emit('tool_call', { callId: 'c1', name: 'lookup', arguments: '{"q":"a"}' });
    m.emit('tool_call', { callId: 'c2', name: 'slow', arguments: '{}' });
    m.emit('response_done', { responseId: 'r1', status: 'completed' });
    await flushMicrotasks();
    expect(m.callsOf('sendToolResult')).toHaveLength(1);
    expect(m.callsOf('createResponse')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.callsOf('sendToolResult')).toHaveLength(2);
    expect(m.callsOf('createResponse')).toEqual([[]]);
  });

  it('does not ask for a reply when the model replies to tool results itself', async () => {
    const { m } = await call({ autoReply: true });
    m.emit('tool_call', { callId: 'c1', name: 'lookup', arguments: '{"q":"a"}' });
    await flushMicrotasks();
    expect(m.callsOf('sendToolResult')).toHaveLength(1);
    expect(m.callsOf('createResponse')).toEqual([]);
  });

  it('aborts a running tool on hang-up and reports it before ended', async () => {
    const seen: { signal?: AbortSignal } = {};
    const { m, twilio, events } = await call({ seen });
    m.emit('tool_call', { callId: 'c1', name: 'slow', arguments: '{}' });
    await flushMicrotasks();
    twilio.stop();
    await flushMicrotasks(50);
    expect(seen.signal?.aborted).toBe(true);
    expect(events.slice(-2).map((e) => e.event)).toEqual(['tool_call', 'ended']);
    expect(events.at(-2)?.payload).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(m.callsOf('sendToolResult')).toEqual([]);
  });

  it('stops a tool call the model withdraws and sends no result for it', async () => {
    const seen: { signal?: AbortSignal } = {};
    const { m, events } = await call({ seen, autoReply: true });
    m.emit('tool_call', { callId: 'c1', name: 'slow', arguments: '{}' });
    m.emit('tool_call', { callId: 'c2', name: 'lookup', arguments: '{"q":"a"}' });
    await flushMicrotasks();
    // Gemini's toolCallCancellation arrives as a lifecycle event of the session.
    (m.emit as (event: string, payload: unknown) => void)('tool_calls_cancelled', { callIds: ['c1'] });
    await flushMicrotasks(50);
    expect(seen.signal?.aborted).toBe(true);
    const cancelled = events.find(
      (e) => e.event === 'tool_call' && (e.payload as { callId: string }).callId === 'c1',
    );
    expect(cancelled?.payload).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(m.callsOf('sendToolResult').map((args) => args[0])).toEqual(['c2']);
  });

  it('end_call hangs up only after the goodbye has played, and asks for no more turns', async () => {
    const { m, twilio, control, of } = await call();
    m.emit('response_started', { responseId: 'r1' });
    m.audio('bye', ulaw(500));
    m.emit('tool_call', { callId: 'c1', name: 'end_call', arguments: '{}' });
    m.emit('response_done', { responseId: 'r1', status: 'completed' });
    await flushMicrotasks(50);
    expect(m.callsOf('sendToolResult')).toHaveLength(1);
    expect(m.callsOf('createResponse')).toEqual([]);
    expect(control.hangup).not.toHaveBeenCalled();
    twilio.playMarks();
    await flushMicrotasks(50);
    expect(control.hangup).toHaveBeenCalledWith('goodbye');
    expect(of('ended')[0]).toMatchObject({ reason: 'agent_hangup', detail: 'goodbye', toolCalls: 1 });
  });

  it('transfers through the redirect hook', async () => {
    const { m, control, of } = await call();
    m.emit('tool_call', { callId: 'c1', name: 'transfer_call', arguments: '{}' });
    await flushMicrotasks(50);
    expect(control.redirect).toHaveBeenCalledWith('<Response><Dial>+15550100</Dial></Response>');
    expect(of('ended')[0]?.reason).toBe('transferred');
  });

  it('keeps the call going when a transfer fails', async () => {
    const { m, control, of } = await call();
    control.redirect.mockRejectedValueOnce(new Error('twilio 500'));
    m.emit('tool_call', { callId: 'c1', name: 'transfer_call', arguments: '{}' });
    await flushMicrotasks(50);
    expect(of('tool_call')[0]).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(of('ended')).toEqual([]);
    expect(m.callsOf('createResponse')).toEqual([[]]);
  });
});

describe('CallSession: DTMF', () => {
  it('sends key presses to the model unless a DTMF action takes them', async () => {
    const model = new ScriptedModel();
    const action = vi.fn();
    const c = await startLoopbackCall<Ctx>({
      model,
      setup: { toolContext: { orgId: 'org_1' }, dtmfActions: { '0': action } },
    });
    c.twilio.dtmf('5');
    c.twilio.dtmf('0');
    await flushMicrotasks();
    expect(model.session.callsOf('sendDtmf')).toEqual([['5']]);
    expect(action).toHaveBeenCalledWith({
      digit: '0',
      control: c.session.control,
      context: { orgId: 'org_1' },
      signal: expect.any(AbortSignal),
      say: expect.any(Function),
    });
    expect(c.of('dtmf')).toEqual([
      { digit: '5', handled: false, atMs: 0 },
      { digit: '0', handled: true, atMs: 0 },
    ]);
  });

  it('reports a failing DTMF action without ending the call', async () => {
    const c = await startLoopbackCall({
      model: new ScriptedModel(),
      setup: {
        dtmfActions: {
          '9': () => {
            throw new Error('nope');
          },
        },
      },
    });
    c.twilio.dtmf('9');
    await flushMicrotasks();
    expect(c.of('error').map((e) => e.error.code)).toEqual(['hook_failed']);
    expect(c.of('ended')).toEqual([]);
  });
});
