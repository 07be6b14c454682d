import { PCM16_24K, PCMU_8K } from '@switchboard/audio';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallSession } from '../call-session.ts';
import { createSocketPair, flushMicrotasks, type MemorySocket } from '../testing/memory-socket.ts';
import { ScriptedModel } from '../testing/scripted-model.ts';
import { ToolRegistry } from '../tools/registry.ts';
import type { TelephonyEvents } from '../types.ts';
import { BrowserTransport } from './browser.ts';
import { waitForStart } from './wait-for-start.ts';

/** `ms` of PCM16 24 kHz, base64 (48 bytes per ms). */
const pcm = (ms: number, fill = 0) => Buffer.alloc(ms * 48, fill).toString('base64');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(options: { listen?: boolean } = {}) {
  const [server, client] = createSocketPair();
  const transport = new BrowserTransport({
    socket: server,
    callSid: 'web-1',
    customParameters: { agentId: 'a1' },
  });
  const seen: Array<{ event: keyof TelephonyEvents; payload: unknown }> = [];
  const listen = () => {
    for (const event of ['start', 'audio', 'mark', 'dtmf', 'stop', 'closed', 'error'] as const) {
      transport.on(event, (payload) => seen.push({ event, payload }));
    }
  };
  if (options.listen ?? true) listen();
  const of = <K extends keyof TelephonyEvents>(event: K) =>
    seen.filter((s) => s.event === event).map((s) => s.payload as TelephonyEvents[K]);
  return { server, client, transport, seen, of, listen, fromServer: () => parsed(server) };
}

/** Frames the server end sent, parsed. */
function parsed(server: MemorySocket): Array<Record<string, unknown>> {
  return server.sent.map((s) => JSON.parse(s) as Record<string, unknown>);
}

const send = (client: MemorySocket, message: unknown) => client.send(JSON.stringify(message));

describe('BrowserTransport', () => {
  it('emits a synthetic start on the next tick, with PCM16 24 kHz both ways', async () => {
    const { transport, of } = setup();
    expect(of('start')).toEqual([]);
    await flushMicrotasks();
    expect(of('start')).toEqual([
      {
        callSid: 'web-1',
        streamSid: 'web-1-media',
        customParameters: { agentId: 'a1' },
        mediaFormat: PCM16_24K,
        tracks: ['inbound'],
      },
    ]);
    expect(transport.inputFormat).toEqual(PCM16_24K);
    expect(transport.outputFormat).toEqual(PCM16_24K);
  });

  it('waits for a start listener before starting', async () => {
    const { listen, of } = setup({ listen: false });
    await flushMicrotasks();
    listen();
    expect(of('start')).toEqual([]);
    await flushMicrotasks();
    expect(of('start')).toHaveLength(1);
  });

  it('passes caller audio through with a timestamp from the audio received so far', async () => {
    const { client, of } = setup();
    await flushMicrotasks();
    send(client, { type: 'audio', audio: pcm(40) });
    send(client, { type: 'audio', audio: pcm(20, 1) });
    await flushMicrotasks();
    expect(of('audio')).toEqual([
      { payload: pcm(40), format: PCM16_24K, timestampMs: 0 },
      { payload: pcm(20, 1), format: PCM16_24K, timestampMs: 40 },
    ]);
  });

  it('sends audio, clear and notices in the browser protocol', async () => {
    const { transport, fromServer } = setup();
    await flushMicrotasks();
    transport.notify({ type: 'ready', callId: 'c1' });
    transport.sendAudio(pcm(20), PCM16_24K);
    transport.clear();
    transport.notify({ type: 'transcript', role: 'user', text: 'hi', final: true });
    expect(fromServer()).toEqual([
      { type: 'ready', callId: 'c1' },
      { type: 'audio', audio: pcm(20) },
      { type: 'clear' },
      { type: 'transcript', role: 'user', text: 'hi', final: true },
    ]);
  });

  it('answers marks when the emulated playhead reaches them', async () => {
    const { transport, of } = setup();
    await flushMicrotasks();
    vi.advanceTimersByTime(1000); // idle time does not count as playback
    transport.sendAudio(pcm(100), PCM16_24K);
    transport.sendMark('m1');
    transport.sendAudio(pcm(100), PCM16_24K);
    transport.sendMark('m2');
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(of('mark')).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(of('mark')).toEqual([{ name: 'm1' }]);
    vi.advanceTimersByTime(100);
    expect(of('mark')).toEqual([{ name: 'm1' }, { name: 'm2' }]);
    expect(vi.getTimerCount()).toBe(0);
    // A gap in the agent's audio: the next chunk plays from now, not from the old playhead.
    vi.advanceTimersByTime(500);
    transport.sendAudio(pcm(40), PCM16_24K);
    transport.sendMark('m3');
    vi.advanceTimersByTime(40);
    expect(of('mark').at(-1)).toEqual({ name: 'm3' });
  });

  it('clear echoes every pending mark afterwards (not inside clear) and rewinds the playhead', async () => {
    const { transport, of } = setup();
    await flushMicrotasks();
    transport.sendAudio(pcm(100), PCM16_24K);
    transport.sendMark('m1');
    transport.sendAudio(pcm(100), PCM16_24K);
    transport.sendMark('m2');
    vi.advanceTimersByTime(120);
    expect(of('mark')).toEqual([{ name: 'm1' }]);
    transport.clear();
    expect(of('mark')).toEqual([{ name: 'm1' }]);
    expect(transport.bufferedMs).toBe(0);
    await flushMicrotasks();
    expect(of('mark')).toEqual([{ name: 'm1' }, { name: 'm2' }]);
    expect(vi.getTimerCount()).toBe(0);
    transport.sendAudio(pcm(50), PCM16_24K);
    transport.sendMark('m3');
    vi.advanceTimersByTime(50);
    expect(of('mark').at(-1)).toEqual({ name: 'm3' });
  });

  it('stop, then the socket closing, end the stream', async () => {
    const { client, seen, of } = setup();
    await flushMicrotasks();
    send(client, { type: 'stop' });
    send(client, { type: 'audio', audio: pcm(20) }); // after stop: ignored
    await flushMicrotasks();
    client.close(1000, 'bye');
    await flushMicrotasks();
    expect(of('stop')).toEqual([{ reason: 'browser_stop' }]);
    expect(of('audio')).toEqual([]);
    expect(of('closed')).toEqual([{ code: 1000, reason: 'bye' }]);
    expect(seen.at(-1)?.event).toBe('closed');
  });

  it('a stop that comes before start follows start at once', async () => {
    const { client, listen, of, seen } = setup({ listen: false });
    send(client, { type: 'stop' });
    await flushMicrotasks();
    listen();
    await flushMicrotasks();
    expect(seen.map((s) => s.event)).toEqual(['start', 'stop']);
    expect(of('error')).toEqual([]);
  });

  it('drops malformed, binary, oversized and odd-length frames without throwing', async () => {
    const { server, client, of } = setup();
    await flushMicrotasks();
    client.send('not json');
    send(client, [1, 2]);
    send(client, { audio: pcm(20) });
    send(client, { type: 'audio' });
    send(client, { type: 'audio', audio: 'not base64!' });
    send(client, { type: 'audio', audio: Buffer.from([1, 2, 3]).toString('base64') });
    send(client, { type: 'something_new' }); // ignored quietly
    await flushMicrotasks();
    server.receive(Buffer.from([1, 2, 3]), true);
    server.receive(Buffer.alloc(30_000, 0x61), false);
    server.receive({ weird: true }, false);
    send(client, { type: 'audio', audio: pcm(20) });
    await flushMicrotasks();
    expect(of('audio')).toHaveLength(1);
    expect(of('error').map((e) => [e.error.code, e.recoverable])).toEqual([
      ['telephony_malformed_frame', true],
      ['telephony_malformed_frame', true],
      ['telephony_malformed_frame', true],
      ['telephony_malformed_frame', true],
      ['telephony_malformed_frame', true],
      ['telephony_malformed_frame', true],
      ['telephony_binary_frame', true],
      ['telephony_frame_too_large', true],
      ['telephony_malformed_frame', true],
    ]);
  });

  it('drops audio that comes before start', async () => {
    const { transport, client, listen, of } = setup({ listen: false });
    const errors: string[] = [];
    transport.on('error', (e) => errors.push(e.error.code));
    send(client, { type: 'audio', audio: pcm(20) });
    await flushMicrotasks();
    listen();
    await flushMicrotasks();
    expect(errors).toEqual(['telephony_out_of_order']);
    expect(of('start')).toHaveLength(1);
    expect(of('audio')).toEqual([]);
  });

  it('refuses other formats and sends nothing after close', async () => {
    const { transport, server, of } = setup();
    await flushMicrotasks();
    transport.sendAudio('AAAA', PCMU_8K);
    expect(of('error').map((e) => e.error.code)).toEqual(['unsupported_format']);
    transport.close();
    transport.sendAudio(pcm(20), PCM16_24K);
    transport.sendMark('m');
    await flushMicrotasks();
    expect(server.sent).toEqual([]);
    expect(of('closed')).toEqual([{ code: 1000, reason: 'call ended' }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close lets a notice written right after it go out first', async () => {
    const { transport, client } = setup();
    const got: string[] = [];
    client.on('message', (data) => got.push(String(data)));
    client.on('close', (code) => got.push(`close ${code}`));
    await flushMicrotasks();
    transport.close();
    transport.notify({ type: 'ended', reason: 'agent_hangup' });
    await flushMicrotasks();
    expect(got).toEqual([JSON.stringify({ type: 'ended', reason: 'agent_hangup' }), 'close 1000']);
  });

  it('reject sends an error and closes with the code, without starting', async () => {
    const { transport, client, of } = setup();
    const got: string[] = [];
    client.on('message', (data) => got.push(String(data)));
    client.on('close', (code, reason) => got.push(`close ${code} ${reason}`));
    transport.reject(4401, 'Invalid or expired token');
    await flushMicrotasks();
    expect(got).toEqual([
      JSON.stringify({ type: 'error', message: 'Invalid or expired token' }),
      'close 4401 Invalid or expired token',
    ]);
    expect(of('start')).toEqual([]);
    expect(transport.closed).toBe(true);
  });

  it('a throwing listener is reported, never thrown into the socket', async () => {
    const { client, transport, of } = setup();
    transport.on('audio', () => {
      throw new Error('boom');
    });
    await flushMicrotasks();
    expect(() => send(client, { type: 'audio', audio: pcm(20) })).not.toThrow();
    await flushMicrotasks();
    expect(of('error').map((e) => e.error.code)).toEqual(['listener_failed']);
  });
});

describe('BrowserTransport under a CallSession', () => {
  async function liveCall() {
    const [server, client] = createSocketPair();
    const transport = new BrowserTransport({ socket: server, callSid: 'web-2' });
    const model = new ScriptedModel({
      capabilities: { inputFormats: [PCM16_24K], outputFormat: PCM16_24K },
    });
    await waitForStart(transport);
    const session = new CallSession({
      transport,
      setup: {
        model,
        session: { model: 'm', instructions: 'Be brief.', credentials: { apiKey: 'k' } },
        toolContext: {},
      },
      tools: new ToolRegistry(),
    });
    const events: Array<[string, unknown]> = [];
    for (const event of ['ready', 'barge_in', 'playback', 'ended'] as const) {
      session.on(event, (payload) => events.push([event, payload]));
    }
    void session.run();
    await flushMicrotasks(50);
    return { client, transport, model, session, events };
  }

  it('goes live in passthrough and hands caller audio to the model untouched', async () => {
    const { client, model, events } = await liveCall();
    expect(events[0]).toEqual(['ready', expect.objectContaining({ passthrough: true })]);
    expect(model.connects[0]).toMatchObject({ inputFormat: PCM16_24K, outputFormat: PCM16_24K });
    send(client, { type: 'audio', audio: pcm(40, 7) });
    await flushMicrotasks();
    expect(model.session.callsOf('sendAudio')).toEqual([[pcm(40, 7), PCM16_24K]]);
  });

  it('barge-in: the browser gets clear, the model is truncated at what the playout clock played', async () => {
    const { client, model, events } = await liveCall();
    const got: Array<{ type: string }> = [];
    client.on('message', (data) => got.push(JSON.parse(String(data)) as { type: string }));
    const m = model.session;
    m.emit('response_started', { responseId: 'r1' });
    for (let i = 0; i < 3; i++) m.audio('item_1', pcm(100, i));
    vi.advanceTimersByTime(150); // 100 ms chunk played, the second half-way
    m.emit('speech_started', {});
    await flushMicrotasks();
    expect(got.map((g) => g.type)).toEqual(['audio', 'audio', 'audio', 'clear']);
    // 100 ms confirmed by its mark, and 50 ms of the next chunk played since.
    expect(m.callsOf('truncate')).toEqual([['item_1', 150]]);
    expect(events.find(([e]) => e === 'barge_in')?.[1]).toMatchObject({ heardMs: 150, forwardedMs: 300 });
    // The marks echoed because of clear count for nothing: the item stays cut at 150 ms.
    m.emit('response_done', { responseId: 'r1', status: 'cancelled' });
    await flushMicrotasks();
    expect(events.filter(([e]) => e === 'playback')).toEqual([
      ['playback', expect.objectContaining({ itemId: 'item_1', heardMs: 150, interrupted: true })],
    ]);
  });

  it('a browser stop ends the call as a caller hang-up', async () => {
    const { client, session } = await liveCall();
    send(client, { type: 'stop' });
    const ended = await session.finished;
    expect(ended.reason).toBe('caller_hangup');
  });
});
