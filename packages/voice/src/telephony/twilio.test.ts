import { PCM16_24K, PCMU_8K } from '@switchboard/audio';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { FakeTwilioPeer } from '../testing/fake-twilio.ts';
import { createSocketPair, flushMicrotasks } from '../testing/memory-socket.ts';
import type { SocketLike, TelephonyEvents } from '../types.ts';
import { TwilioTransport } from './twilio.ts';

function setup(params: Record<string, string> = { token: 't0k' }) {
  const [server, client] = createSocketPair();
  const transport = new TwilioTransport({ socket: server });
  const twilio = new FakeTwilioPeer(client, { customParameters: params });
  const seen: Array<{ event: keyof TelephonyEvents; payload: unknown }> = [];
  for (const event of ['start', 'audio', 'mark', 'dtmf', 'stop', 'closed', 'error'] as const) {
    transport.on(event, (payload) => seen.push({ event, payload }));
  }
  const of = <K extends keyof TelephonyEvents>(event: K) =>
    seen.filter((s) => s.event === event).map((s) => s.payload as TelephonyEvents[K]);
  return { server, client, transport, twilio, seen, of };
}

describe('TwilioTransport', () => {
  it('accepts a ws WebSocket as SocketLike (type check)', () => {
    const assign = (ws: WebSocket): SocketLike => ws;
    expect(typeof assign).toBe('function');
  });

  it('parses start with custom parameters and exposes streamSid', async () => {
    const { transport, twilio, of } = setup({ token: 'abc', agent: 'a1' });
    twilio.start();
    await flushMicrotasks();
    expect(of('start')).toEqual([
      {
        callSid: twilio.callSid,
        streamSid: twilio.streamSid,
        accountSid: 'AC00000000000000000000000000000001',
        customParameters: { token: 'abc', agent: 'a1' },
        mediaFormat: PCMU_8K,
        tracks: ['inbound'],
      },
    ]);
    expect(transport.streamSid).toBe(twilio.streamSid);
    expect(transport.callSid).toBe(twilio.callSid);
  });

  it('passes inbound audio through as the same base64 string', async () => {
    const { twilio, of } = setup();
    twilio.start();
    const payload = Buffer.from([1, 2, 3, 250, 255]).toString('base64');
    twilio.media(payload);
    twilio.media(payload);
    await flushMicrotasks();
    expect(of('audio')).toEqual([
      { payload, format: PCMU_8K, timestampMs: 0 },
      { payload, format: PCMU_8K, timestampMs: 20 },
    ]);
  });

  it('emits dtmf, mark, stop and closed', async () => {
    const { twilio, of, seen } = setup();
    twilio.start();
    twilio.dtmf('5');
    twilio.raw({
      event: 'mark',
      sequenceNumber: twilio.nextSequence(),
      streamSid: twilio.streamSid,
      mark: { name: 'm1' },
    });
    twilio.stop();
    await flushMicrotasks();
    expect(of('dtmf')).toEqual([{ digit: '5' }]);
    expect(of('mark')).toEqual([{ name: 'm1' }]);
    expect(of('stop')).toEqual([{}]);
    expect(of('closed')).toEqual([{ code: 1000, reason: '' }]);
    expect(seen.at(-1)?.event).toBe('closed');
  });

  it('sends media, mark and clear in Twilio shape', async () => {
    const { transport, twilio } = setup();
    twilio.start();
    await flushMicrotasks();
    transport.sendAudio('AAEC', PCMU_8K);
    transport.sendMark('item_1:20');
    transport.clear();
    await flushMicrotasks();
    expect(twilio.received).toEqual([
      { event: 'media', streamSid: twilio.streamSid, media: { payload: 'AAEC' } },
      { event: 'mark', streamSid: twilio.streamSid, mark: { name: 'item_1:20' } },
      { event: 'clear', streamSid: twilio.streamSid },
    ]);
  });

  it('sends media and its mark together, in order, within one cork of the TCP socket', async () => {
    const { server, transport, twilio } = setup();
    const calls: string[] = [];
    const tcp = { cork: () => calls.push('cork'), uncork: () => calls.push('uncork') };
    Object.assign(server, { _socket: tcp });
    const send = server.send.bind(server);
    server.send = (data: string) => {
      calls.push(`send ${(JSON.parse(data) as { event: string }).event}`);
      send(data);
    };
    twilio.start();
    await flushMicrotasks();
    transport.sendAudioAndMark('AAEC', PCMU_8K, 'item_1:20');
    transport.sendAudioAndMark('AAED', PCMU_8K, 'item_1:40');
    await flushMicrotasks();
    expect(calls).toEqual([
      'cork',
      'send media',
      'send mark',
      'uncork',
      'cork',
      'send media',
      'send mark',
      'uncork',
    ]);
    expect(twilio.received).toEqual([
      { event: 'media', streamSid: twilio.streamSid, media: { payload: 'AAEC' } },
      { event: 'mark', streamSid: twilio.streamSid, mark: { name: 'item_1:20' } },
      { event: 'media', streamSid: twilio.streamSid, media: { payload: 'AAED' } },
      { event: 'mark', streamSid: twilio.streamSid, mark: { name: 'item_1:40' } },
    ]);
    expect(transport.stats).toMatchObject({ audioFramesSent: 2, marksSent: 2 });
  });

  it('sendAudioAndMark refuses before start and sends only the mark for a non-Twilio format', async () => {
    const { transport, twilio, of } = setup();
    transport.sendAudioAndMark('AAEC', PCMU_8K, 'm0');
    twilio.start();
    await flushMicrotasks();
    transport.sendAudioAndMark('AAEC', PCM16_24K, 'm1');
    await flushMicrotasks();
    expect(twilio.received).toEqual([{ event: 'mark', streamSid: twilio.streamSid, mark: { name: 'm1' } }]);
    expect(of('error').map((e) => e.error.code)).toEqual(['unsupported_format']);
  });

  it('refuses to send before start or in a non-Twilio format', async () => {
    const { transport, twilio, of } = setup();
    transport.sendAudio('AAEC', PCMU_8K);
    twilio.start();
    await flushMicrotasks();
    transport.sendAudio('AAEC', PCM16_24K);
    await flushMicrotasks();
    expect(twilio.received).toEqual([]);
    expect(of('error').map((e) => e.error.code)).toEqual(['unsupported_format']);
  });

  it('drops malformed, binary, oversized and out-of-order frames without throwing', async () => {
    const { server, twilio, of } = setup();
    const media = (seq: unknown, chunk: unknown = '1', payload: unknown = 'AAAA') => ({
      event: 'media',
      sequenceNumber: seq,
      streamSid: twilio.streamSid,
      media: { track: 'inbound', chunk, timestamp: '0', payload },
    });
    twilio.raw(media('1')); // before start
    twilio.start();
    twilio.raw('not json');
    twilio.raw({ nope: true });
    await flushMicrotasks();
    server.receive(Buffer.from([1, 2, 3]), true);
    server.receive(Buffer.alloc(70_000, 0x61), false);
    twilio.raw(media(7)); // number, not string
    twilio.raw(media('8', 1)); // chunk as number
    twilio.raw(media('9', '1', 'not base64!'));
    twilio.raw(media('10'));
    twilio.raw(media('10')); // duplicate sequence
    twilio.raw({ ...media('11'), streamSid: 'MZother' });
    twilio.raw({ event: 'dtmf', sequenceNumber: '12', streamSid: twilio.streamSid, dtmf: { digit: 'x' } });
    twilio.raw({ event: 'something_new', sequenceNumber: '13', streamSid: twilio.streamSid });
    await flushMicrotasks();
    expect(of('audio')).toHaveLength(1);
    expect(of('error').map((e) => [e.error.code, e.recoverable])).toEqual([
      ['telephony_out_of_order', true],
      ['telephony_malformed_frame', true],
      ['telephony_malformed_frame', true],
      ['telephony_binary_frame', true],
      ['telephony_frame_too_large', true],
      ['telephony_malformed_frame', true],
      ['telephony_malformed_frame', true],
      ['telephony_malformed_frame', true],
      ['telephony_out_of_order', true],
      ['telephony_malformed_frame', true],
      ['telephony_malformed_frame', true],
    ]);
  });

  it('rejects a start whose mediaFormat numbers are strings', async () => {
    const { twilio, of } = setup();
    twilio.raw({
      event: 'start',
      sequenceNumber: '1',
      streamSid: 'MZ1',
      start: {
        callSid: 'CA1',
        streamSid: 'MZ1',
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: '8000', channels: 1 },
      },
    });
    await flushMicrotasks();
    expect(of('start')).toEqual([]);
    expect(of('error')[0]?.error.code).toBe('telephony_malformed_frame');
  });

  it('reports a throwing listener as an error event instead of throwing into the socket', async () => {
    const { transport, twilio, of } = setup();
    transport.on('start', () => {
      throw new Error('listener bug');
    });
    twilio.start();
    await flushMicrotasks();
    expect(of('error').map((e) => e.error.code)).toEqual(['listener_failed']);
  });

  it('caps the number of reported errors', async () => {
    const [server, client] = createSocketPair();
    const transport = new TwilioTransport({ socket: server, maxReportedErrors: 2 });
    let errors = 0;
    transport.on('error', () => errors++);
    for (let i = 0; i < 5; i++) client.send('junk');
    await flushMicrotasks();
    expect(errors).toBe(2);
    expect(transport.stats.framesDropped).toBe(5);
  });
});
