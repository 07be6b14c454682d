/**
 * A SIP call for the conformance suite: a second `SipUserAgent` plays the carrier and dials the
 * server's user agent over loopback UDP; the server side answers and runs a `SipTransport`
 * under the `CallSession`. RTP flows both ways on real sockets, paced in real time.
 */
import { type SipCall, SipUserAgent } from '@switchboard/sip';
import { SipTransport } from '../telephony/sip.ts';
import type { ConformancePhone } from './phone.ts';

const SILENCE = 0xff;

export interface SipPair {
  /** The server side of the call, to build the session on. */
  transport: SipTransport;
  phone: ConformancePhone;
  close(): Promise<void>;
}

/** Dials a fresh server user agent from a fresh caller user agent; resolves once answered. */
export async function connectSipPair(): Promise<SipPair> {
  let answered!: (call: SipCall) => void;
  const serverCall = new Promise<SipCall>((resolve) => {
    answered = resolve;
  });
  const media = (min: number) => ({ ports: { min, max: min + 1999 }, address: '127.0.0.1' });
  const server = await SipUserAgent.start({
    host: '127.0.0.1',
    port: 0,
    publicAddress: '127.0.0.1',
    media: media(20000 + 2000 * Math.floor(Math.random() * 10)),
    onInvite: (invite) => void invite.accept().then(answered, () => {}),
  });
  const carrier = await SipUserAgent.start({
    host: '127.0.0.1',
    port: 0,
    publicAddress: '127.0.0.1',
    media: media(40000 + 2000 * Math.floor(Math.random() * 10)),
    onInvite: (invite) => invite.reject(403),
  });
  const outgoing = carrier.call({
    uri: `sip:+15550100@127.0.0.1:${server.port}`,
    proxy: { protocol: 'udp', address: '127.0.0.1', port: server.port },
    from: '+15551234567',
  });
  const result = await outgoing.result;
  if (result.outcome !== 'answered') throw new Error(`SIP call not answered: ${result.status}`);
  const transport = new SipTransport({ call: await serverCall, customParameters: { direction: 'inbound' } });
  const phone = sipPhone(result.call, transport);
  return {
    transport,
    phone,
    close: async () => {
      await result.call.hangup('test over');
      await Promise.all([server.close(), carrier.close()]);
    },
  };
}

function sipPhone(call: SipCall, transport: SipTransport): ConformancePhone {
  const heard: Buffer[] = [];
  let agentBytes = 0;
  call.on('audio', (payload) => {
    if (payload.every((b) => b === SILENCE)) return;
    heard.push(Buffer.from(payload));
    agentBytes += payload.length;
  });
  const closed = new Promise<unknown>((resolve) => call.once('ended', resolve));
  let markSeq = 0;
  return {
    kind: 'sip',
    sendAudio: (mulaw) =>
      new Promise<void>((resolve) => {
        if (call.ended) return resolve();
        const name = `sent-${++markSeq}`;
        const onMarks = (names: string[]) => {
          if (!names.includes(name)) return;
          call.off('marks', onMarks);
          resolve();
        };
        call.on('marks', onMarks);
        call.once('ended', () => resolve());
        call.sendAudio(Buffer.from(mulaw));
        call.mark(name);
      }),
    hangUp: async () => {
      await call.hangup('caller hung up');
    },
    closed,
    heard: () => Buffer.concat(heard),
    playedMs: () => agentBytes / 8,
    agentAudioBytes: () => agentBytes,
    clears: () => transport.stats.clears,
    receivesClearedAudio: false,
  };
}
