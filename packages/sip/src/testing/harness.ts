/**
 * Pieces for tests of the SIP stack against a real peer: a user agent on loopback with a
 * logger that records what it refused, a UDP socket that stands in for the peer's RTP port
 * (it keeps every payload it receives), and the tones the two sides speak.
 */
import dgram from 'node:dgram';
import { mulawDecode } from '@switchboard/audio';
import { goertzelDb, toneMulaw } from '@switchboard/audio/testing';
import { dtmfPackets, telephoneEventPayload } from '../rtp/dtmf.ts';
import { buildRtp, parseRtp } from '../rtp/packet.ts';
import { SipUserAgent, type SipUserAgentOptions } from '../ua/agent.ts';

/** The caller's voice (SIPp streams it) and the agent's (our side sends it). */
export const CALLER_HZ = 1200;
export const AGENT_HZ = 440;

/** `ms` of the caller's tone, then `silenceMs` of µ-law silence (a carrier keeps sending RTP). */
export function callerAudio(ms = 2000, silenceMs = 0): Buffer {
  return Buffer.concat([Buffer.from(toneMulaw(CALLER_HZ, ms, 0.5)), Buffer.alloc(silenceMs * 8, 0xff)]);
}

export function agentAudio(ms = 2000): Buffer {
  return Buffer.from(toneMulaw(AGENT_HZ, ms, 0.5));
}

/** Level of `hz` in µ-law `audio`, dBFS (−∞ for none). */
export function levelDb(audio: Buffer, hz: number): number {
  if (audio.length === 0) return Number.NEGATIVE_INFINITY;
  return goertzelDb(mulawDecode(audio), 8000, hz);
}

export interface Logged {
  level: string;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

export async function startTestAgent(
  options: Partial<SipUserAgentOptions> & Pick<SipUserAgentOptions, 'onInvite'>,
): Promise<{ ua: SipUserAgent; logs: Logged[] }> {
  const logs: Logged[] = [];
  const log = (level: string) => (obj: object, msg?: string) =>
    logs.push({ level, obj: obj as Record<string, unknown>, msg });
  const base = 20000 + 2000 * Math.floor(Math.random() * 15);
  const ua = await SipUserAgent.start({
    host: '127.0.0.1',
    port: 0,
    publicAddress: '127.0.0.1',
    media: { ports: { min: base, max: base + 1999 }, address: '127.0.0.1' },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    ...options,
  });
  return { ua, logs };
}

/** A UDP socket playing the far end's RTP port: keeps the audio payloads (PT 0) and DTMF packets. */
export async function rtpSink(): Promise<{
  port: number;
  audio(): Buffer;
  /** Audio without the comfort silence between agent turns. */
  speech(): Buffer;
  events: Buffer[];
  socket: dgram.Socket;
  close(): void;
}> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const frames: Buffer[] = [];
  const events: Buffer[] = [];
  socket.on('message', (data) => {
    const packet = parseRtp(data);
    if (!packet) return;
    if (packet.payloadType === 0 || packet.payloadType === 8) frames.push(Buffer.from(packet.payload));
    else events.push(Buffer.from(packet.payload));
  });
  return {
    port: socket.address().port,
    audio: () => Buffer.concat(frames),
    speech: () => Buffer.concat(frames.filter((f) => !f.every((b) => b === 0xff))),
    events,
    socket,
    close: () => socket.close(),
  };
}

/** Polls `probe` until true (generous default: tests share a loaded machine). */
export async function until(probe: () => boolean, label: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A pcap file of RFC 4733 events for `digits` (PT 101), for SIPp's `play_pcap_audio`: one
 * Ethernet/IPv4/UDP/RTP frame per 20 ms, 100 ms of tone and three End packets per digit.
 */
export function dtmfPcap(digits: string): Buffer {
  const records: Buffer[] = [];
  let seq = 1000;
  let timestamp = 8000;
  let t = 0;
  for (const digit of digits) {
    for (const event of dtmfPackets(digit) ?? []) {
      const rtp = buildRtp(
        {
          marker: event.duration === 160 && !event.end,
          payloadType: 101,
          sequence: seq++,
          timestamp,
          ssrc: 0x1234,
        },
        telephoneEventPayload(event),
      );
      records.push(pcapRecord(t, udpFrame(rtp)));
      t += 20;
    }
    timestamp += 1600;
    t += 100;
  }
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  return Buffer.concat([header, ...records]);
}

function udpFrame(payload: Buffer): Buffer {
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(0x0800, 12);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  Buffer.from([127, 0, 0, 1]).copy(ip, 12);
  Buffer.from([127, 0, 0, 1]).copy(ip, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(10000, 0);
  udp.writeUInt16BE(10000, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([eth, ip, udp, payload]);
}

function pcapRecord(ms: number, frame: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(Math.floor(ms / 1000), 0);
  header.writeUInt32LE((ms % 1000) * 1000, 4);
  header.writeUInt32LE(frame.length, 8);
  header.writeUInt32LE(frame.length, 12);
  return Buffer.concat([header, frame]);
}
