import { PCMU_8K } from '@switchboard/audio';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { VoiceError } from './errors.ts';
import { greetingInstructions } from './instructions.ts';
import { createLoopbackCall, startLoopbackCall } from './testing/loopback-call.ts';
import { flushMicrotasks } from './testing/memory-socket.ts';
import { ScriptedModel } from './testing/scripted-model.ts';
import { ToolRegistry } from './tools/registry.ts';

const ulaw = (bytes: number, fill = 0x55) => Buffer.alloc(bytes, fill).toString('base64');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CallSession: start', () => {
  it('runs with the setup loaded after start, connects with registry tools and telephony formats', async () => {
    const model = new ScriptedModel();
    const tools = new ToolRegistry().register({
      name: 'create_lead',
      description: 'Save a lead.',
      parameters: z.object({ name: z.string() }),
      handler: () => ({}),
    });
    const call = await startLoopbackCall({
      model,
      tools,
      twilio: { customParameters: { token: 'tok_1' } },
      setup: { enabledTools: ['create_lead', 'missing_tool'] },
    });
    expect(call.starts[0]?.customParameters).toEqual({ token: 'tok_1' });
    const opts = model.connects[0];
    expect(opts?.inputFormat).toEqual(PCMU_8K);
    expect(opts?.outputFormat).toEqual(PCMU_8K);
    expect(opts?.session.tools.map((t) => t.name)).toEqual(['create_lead']);
    expect(opts?.session.credentials.apiKey).toBe('test-key');
    expect(call.of('ready')).toEqual([{ atMs: 0, connectMs: 0, provider: 'scripted', passthrough: true }]);
  });

  it('greets with the configured greeting, or waits when it is empty', async () => {
    const m1 = new ScriptedModel();
    await startLoopbackCall({ model: m1, setup: { greeting: 'Hi, Acme Dental!' } });
    expect(m1.session.callsOf('createResponse')).toEqual([[greetingInstructions('Hi, Acme Dental!')]]);
    const m2 = new ScriptedModel();
    await startLoopbackCall({ model: m2, setup: { greeting: '  ' } });
    expect(m2.session.callsOf('createResponse')).toEqual([]);
  });

  it('passes audio through untouched in both directions, a mark per 100 ms of audio and at the response end', async () => {
    const model = new ScriptedModel();
    const call = await startLoopbackCall({ model });
    const inbound = [ulaw(160, 0x01), ulaw(160, 0xfe)];
    for (const payload of inbound) call.twilio.media(payload);
    await flushMicrotasks();
    expect(model.session.callsOf('sendAudio')).toEqual(inbound.map((p) => [p, PCMU_8K]));

    const outbound = [ulaw(800, 0x10), ulaw(400, 0x20)];
    model.session.emit('response_started', { responseId: 'r1' });
    for (const b64 of outbound) model.session.audio('item_1', b64);
    model.session.emit('response_done', { responseId: 'r1', status: 'completed' });
    await flushMicrotasks();
    expect(call.twilio.sentAudio()).toEqual(outbound);
    expect(call.twilio.received.map((m) => m.mark?.name ?? m.event)).toEqual([
      'media',
      'item_1:100',
      'media',
      'item_1:150',
    ]);
  });

  it('with inputChunkMs, joins caller frames into chunks for the model: same bytes, same order, fewer sends', async () => {
    const model = new ScriptedModel();
    const call = await startLoopbackCall({ model, inputChunkMs: 40 });
    const inbound = [0x01, 0x02, 0x03, 0x04, 0x05].map((fill) => ulaw(160, fill));
    for (const payload of inbound) call.twilio.media(payload);
    await flushMicrotasks();
    const sent = () =>
      model.session.callsOf('sendAudio').map(([b64]) => Buffer.from(b64 as string, 'base64'));
    expect(sent().map((b) => b.length)).toEqual([320, 320]);
    vi.advanceTimersByTime(40); // the fifth frame waits at most one chunk for company
    expect(sent().map((b) => b.length)).toEqual([320, 320, 160]);
    expect(Buffer.concat(sent())).toEqual(Buffer.concat(inbound.map((p) => Buffer.from(p, 'base64'))));
    expect(model.session.callsOf('sendAudio').map(([, format]) => format)).toEqual([
      PCMU_8K,
      PCMU_8K,
      PCMU_8K,
    ]);
  });

  it('forwards transcripts with atMs and sums usage', async () => {
    const model = new ScriptedModel();
    const call = await startLoopbackCall({ model });
    vi.setSystemTime(1500);
    model.session.emit('transcript', { role: 'user', text: 'Hello', final: true, itemId: 'u1' });
    const usage = {
      inputTokens: 10,
      outputTokens: 20,
      totalTokens: 30,
      inputAudioTokens: 5,
      inputTextTokens: 5,
      cachedInputTokens: 0,
      outputAudioTokens: 15,
      outputTextTokens: 5,
    };
    model.session.emit('response_started', { responseId: 'r1' });
    model.session.emit('response_done', { responseId: 'r1', status: 'completed', usage });
    model.session.emit('response_started', { responseId: 'r2' });
    model.session.emit('response_done', { responseId: 'r2', status: 'completed', usage });
    call.twilio.stop();
    await flushMicrotasks(50);
    expect(call.of('transcript')).toEqual([
      { role: 'user', text: 'Hello', final: true, itemId: 'u1', atMs: 1500 },
    ]);
    expect(call.of('usage')).toHaveLength(2);
    expect(call.of('ended')[0]?.usage).toMatchObject({ inputTokens: 20, outputTokens: 40, totalTokens: 60 });
  });

  it('measures turn latency from speech stopped to the first audio sent', async () => {
    const model = new ScriptedModel();
    const call = await startLoopbackCall({ model });
    for (const [stop, first] of [
      [1000, 1350],
      [5000, 5900],
      [9000, 9500],
    ] as const) {
      vi.setSystemTime(stop);
      model.session.emit('speech_stopped', {});
      vi.setSystemTime(first);
      model.session.emit('response_started', { responseId: `r${stop}` });
      model.session.audio(`a${stop}`, ulaw(160));
      model.session.audio(`a${stop}`, ulaw(160));
      model.session.emit('response_done', { responseId: `r${stop}`, status: 'completed' });
    }
    call.twilio.stop();
    await flushMicrotasks(50);
    expect(call.of('metrics').map((m) => m.turnLatencyMs)).toEqual([350, 900, 500]);
    expect(call.of('ended')[0]?.latency).toEqual({ count: 3, p50Ms: 500, p90Ms: 900, maxMs: 900 });
  });

  it('emits playback when an item finished playing', async () => {
    const model = new ScriptedModel();
    const call = await startLoopbackCall({ model });
    model.session.emit('response_started', { responseId: 'r1' });
    model.session.audio('a1', ulaw(800));
    model.session.audio('a1', ulaw(800));
    model.session.emit('response_done', { responseId: 'r1', status: 'completed' });
    await flushMicrotasks();
    expect(call.of('playback')).toEqual([]);
    call.twilio.playMarks();
    await flushMicrotasks();
    expect(call.of('playback')).toEqual([
      { itemId: 'a1', heardMs: 200, forwardedMs: 200, interrupted: false, atMs: 0 },
    ]);
  });
});

describe('CallSession: ending', () => {
  it('ends on Twilio stop: closes the model, emits ended once, last', async () => {
    const model = new ScriptedModel();
    const call = await startLoopbackCall({ model });
    vi.setSystemTime(42_000);
    call.twilio.stop();
    await flushMicrotasks(50);
    expect(model.session.closed).toBe(true);
    expect(call.of('ended')).toEqual([
      {
        reason: 'caller_hangup',
        durationMs: 42_000,
        usage: expect.objectContaining({ totalTokens: 0 }),
        latency: { count: 0, p50Ms: null, p90Ms: null, maxMs: null },
        bargeIns: 0,
        toolCalls: 0,
      },
    ]);
    expect(call.events.at(-1)?.event).toBe('ended');
    expect(await call.session.finished).toMatchObject({ reason: 'caller_hangup' });
  });

  it('ends with socket_closed when the socket drops without stop', async () => {
    const call = await startLoopbackCall({ model: new ScriptedModel() });
    call.twilioSocket.close(1006, '');
    await flushMicrotasks(50);
    expect(call.of('ended')[0]?.reason).toBe('socket_closed');
  });

  it('builds no session for a stream refused on its start (bad token)', async () => {
    const model = new ScriptedModel();
    const call = await createLoopbackCall({ model, admit: () => false });
    await flushMicrotasks(50);
    expect(model.connects).toEqual([]);
    expect(call.session).toBeNull();
    expect(call.serverSocket.readyState).toBe(3);
  });

  it('ends at once when the caller hung up before the session ran', async () => {
    const model = new ScriptedModel();
    const call = await createLoopbackCall({ model });
    call.twilio.stop();
    await flushMicrotasks(50);
    const ended = await call.session!.run();
    expect(model.connects).toEqual([]);
    expect(ended.reason).toBe('caller_hangup');
  });

  it('reports model failure at start as model_unavailable and calls onFatal', async () => {
    const onFatal = vi.fn(async () => {});
    const model = new ScriptedModel({
      beforeConnect: () => {
        throw new VoiceError('model_auth_failed', 'openai: credentials rejected', { recoverable: false });
      },
    });
    const call = await startLoopbackCall({ model, onFatal });
    await flushMicrotasks(50);
    expect(onFatal).toHaveBeenCalledWith({ reason: 'model_unavailable', error: expect.any(VoiceError) });
    expect(call.of('error').map((e) => e.error.code)).toEqual(['model_auth_failed']);
    expect(call.of('ended')[0]?.reason).toBe('model_unavailable');
  });

  it('reports a mid-call model drop as model_disconnected, even if Twilio stops during onFatal', async () => {
    const model = new ScriptedModel();
    let twilioStop: () => void = () => {};
    const onFatal = vi.fn(async () => {
      twilioStop(); // the server's redirect makes Twilio stop the stream
      await flushMicrotasks();
    });
    const call = await startLoopbackCall({ model, onFatal });
    twilioStop = () => call.twilio.stop();
    model.session.emit('closed', { code: 1006, reason: '', expected: false });
    await flushMicrotasks(50);
    expect(onFatal).toHaveBeenCalledWith({ reason: 'model_disconnected', error: expect.any(VoiceError) });
    expect(call.of('ended')).toHaveLength(1);
    expect(call.of('ended')[0]?.reason).toBe('model_disconnected');
  });

  it('aborts a model connect when the caller hangs up meanwhile', async () => {
    let aborted = false;
    const onFatal = vi.fn();
    const model = new ScriptedModel({
      beforeConnect: (opts) =>
        new Promise((_, reject) => {
          opts.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new VoiceError('model_aborted', 'aborted', { recoverable: false }));
          });
        }),
    });
    const call = await startLoopbackCall({ model, onFatal });
    call.twilio.stop();
    await flushMicrotasks(50);
    expect(aborted).toBe(true);
    expect(onFatal).not.toHaveBeenCalled();
    expect(call.of('ended')[0]?.reason).toBe('caller_hangup');
  });
});
