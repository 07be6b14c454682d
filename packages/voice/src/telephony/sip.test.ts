import { PCM16_24K, PCMA_8K, PCMU_8K } from '@switchboard/audio';
import { describe, expect, it } from 'vitest';
import { flushMicrotasks } from '../testing/memory-socket.ts';
import type { TelephonyEvents } from '../types.ts';
import { type SipCallLike, SipTransport } from './sip.ts';

type Handlers = Parameters<SipCallLike['subscribe']>[0];

/** A SIP call in memory: what was queued, marked and cleared; the test plays the network. */
function fakeCall(encoding: 'pcmu' | 'pcma' = 'pcmu') {
  let handlers: Handlers | undefined;
  const state = {
    queued: [] as Buffer[],
    marks: [] as string[],
    digits: '',
    hangups: [] as string[],
    ended: false,
  };
  const call: SipCallLike = {
    callId: 'call-1@example',
    get ended() {
      return state.ended;
    },
    encoding,
    sendAudio: (audio) => state.queued.push(audio),
    mark: (name) => state.marks.push(name),
    clear: () => state.marks.splice(0),
    sendDigits: (digits) => {
      state.digits += digits;
    },
    hangup: async (reason) => {
      state.hangups.push(reason ?? '');
      state.ended = true;
      handlers?.ended({ by: 'local', reason: reason ?? '' });
    },
    subscribe: (h) => {
      handlers = h;
      return () => {
        handlers = undefined;
      };
    },
  };
  return { call, state, net: () => handlers! };
}

function setup(encoding: 'pcmu' | 'pcma' = 'pcmu') {
  const fake = fakeCall(encoding);
  const transport = new SipTransport({ call: fake.call, customParameters: { trunkId: 't1' } });
  const seen: Array<{ event: keyof TelephonyEvents; payload: unknown }> = [];
  for (const event of ['start', 'audio', 'mark', 'dtmf', 'stop', 'closed', 'error'] as const) {
    transport.on(event, (payload) => seen.push({ event, payload }));
  }
  const of = <K extends keyof TelephonyEvents>(event: K) =>
    seen.filter((s) => s.event === event).map((s) => s.payload as TelephonyEvents[K]);
  return { ...fake, transport, seen, of };
}

describe('SipTransport', () => {
  it('starts on the next tick in the negotiated codec, with the Call-ID as call id', async () => {
    const { of, transport } = setup('pcma');
    expect(of('start')).toEqual([]);
    await flushMicrotasks();
    expect(of('start')).toEqual([
      {
        callSid: 'call-1@example',
        streamSid: 'call-1@example-rtp',
        customParameters: { trunkId: 't1' },
        mediaFormat: PCMA_8K,
        tracks: ['inbound'],
      },
    ]);
    expect(transport.outputFormat).toEqual(PCMA_8K);
  });

  it('passes caller frames through as base64 with running timestamps', async () => {
    const { of, net } = setup();
    await flushMicrotasks();
    net().audio(Buffer.alloc(160, 1), false);
    net().audio(Buffer.alloc(160, 0xff), true);
    expect(of('audio')).toEqual([
      { payload: Buffer.alloc(160, 1).toString('base64'), format: PCMU_8K, timestampMs: 0 },
      { payload: Buffer.alloc(160, 0xff).toString('base64'), format: PCMU_8K, timestampMs: 20 },
    ]);
  });

  it('queues agent audio and reports marks on a later microtask', async () => {
    const { transport, state, of, net } = setup();
    await flushMicrotasks();
    transport.sendAudio(Buffer.alloc(320, 7).toString('base64'), PCMU_8K);
    transport.sendMark('m1');
    expect(state.queued[0]).toEqual(Buffer.alloc(320, 7));
    net().marks(['m1']);
    expect(of('mark')).toEqual([]);
    await flushMicrotasks();
    expect(of('mark')).toEqual([{ name: 'm1' }]);
  });

  it('refuses audio in another format', async () => {
    const { transport, state, of } = setup();
    await flushMicrotasks();
    transport.sendAudio('AAAA', PCM16_24K);
    expect(state.queued).toEqual([]);
    expect(of('error')[0]?.error.code).toBe('unsupported_format');
  });

  it('clear empties the queue and echoes the voided marks afterwards', async () => {
    const { transport, of } = setup();
    await flushMicrotasks();
    transport.sendAudio(Buffer.alloc(160).toString('base64'), PCMU_8K);
    transport.sendMark('a');
    transport.sendMark('b');
    transport.clear();
    expect(of('mark')).toEqual([]);
    await flushMicrotasks();
    expect(of('mark')).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(transport.stats.clears).toBe(1);
  });

  it('a BYE from the caller is stop then closed', async () => {
    const { of, net, seen } = setup();
    await flushMicrotasks();
    net().dtmf('5');
    net().ended({ by: 'remote', reason: 'bye' });
    expect(of('dtmf')).toEqual([{ digit: '5' }]);
    expect(seen.map((s) => s.event).slice(-2)).toEqual(['stop', 'closed']);
  });

  it('close() hangs up with a BYE and closes once', async () => {
    const { transport, state, of } = setup();
    await flushMicrotasks();
    transport.close();
    transport.close();
    expect(state.hangups).toEqual(['call ended']);
    expect(of('closed')).toHaveLength(1);
    expect(of('stop')).toEqual([]);
  });

  it('sends DTMF to the far end', async () => {
    const { transport, state } = setup();
    await flushMicrotasks();
    transport.sendDigits('12#');
    expect(state.digits).toBe('12#');
  });
});
