/**
 * SDP (RFC 4566) offer/answer (RFC 3264) for one audio stream: G.711 µ-law (PT 0) or A-law
 * (PT 8) at 8 kHz with 20 ms packets, plus telephone-event (RFC 4733) for DTMF. Only what a
 * trunk call needs is read: the audio m-line, its connection address, rtpmaps, and direction;
 * anything we cannot honour (no G.711, SRTP profiles, no audio) is an error the caller answers
 * with 488. Limits: 8 KiB, 128 lines.
 */

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export type G711 = 'pcmu' | 'pcma';

export interface SdpAudio {
  /** Connection address for this stream (media-level c= or session-level c=). */
  address: string;
  port: number;
  /** Payload types in the offerer's order of preference. */
  payloadTypes: number[];
  /** payload type → `NAME/rate` from a=rtpmap (upper-case name). */
  rtpmap: Map<number, string>;
  direction: Direction;
  ptimeMs?: number;
}

export interface Negotiated {
  encoding: G711;
  payloadType: number;
  /** Payload type of telephone-event/8000, when both sides have it. */
  dtmfPayloadType?: number;
}

const MAX_SDP_BYTES = 8192;
const MAX_LINES = 128;
const STATIC: Record<number, string> = { 0: 'PCMU/8000', 8: 'PCMA/8000' };

export type SdpResult = { ok: true; audio: SdpAudio } | { ok: false; reason: string };

export function parseSdp(text: string): SdpResult {
  if (text.length > MAX_SDP_BYTES) return { ok: false, reason: 'SDP too large' };
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines.length > MAX_LINES) return { ok: false, reason: 'SDP has too many lines' };
  if (lines[0] !== 'v=0') return { ok: false, reason: 'not SDP (no v=0)' };
  let sessionAddress: string | undefined;
  let sessionDirection: Direction = 'sendrecv';
  let audio: SdpAudio | undefined;
  let mediaAddress: string | undefined;
  let inAudio = false;
  let seenMedia = false;
  for (const line of lines) {
    const type = line[0];
    const value = line.slice(2);
    if (line[1] !== '=') return { ok: false, reason: 'malformed SDP line' };
    if (type === 'm') {
      seenMedia = true;
      inAudio = false;
      const m = /^audio (\d{1,5})(?:\/\d+)? (\S+) ([\d ]+)$/.exec(value.trim());
      if (!m || audio) continue; // other media, or a second audio stream: ignored (port 0 in the answer)
      if (m[2] !== 'RTP/AVP') return { ok: false, reason: `unsupported media profile ${m[2]}` };
      const port = Number(m[1]);
      if (port === 0) continue; // a rejected stream
      const payloadTypes = m[3]!
        .trim()
        .split(/\s+/)
        .map(Number)
        .filter((pt) => pt >= 0 && pt <= 127);
      audio = { address: '', port, payloadTypes, rtpmap: new Map(), direction: sessionDirection };
      for (const pt of payloadTypes) if (STATIC[pt]) audio.rtpmap.set(pt, STATIC[pt]!);
      inAudio = true;
      continue;
    }
    if (type === 'c') {
      const c = /^IN IP4 ([\d.]+)(?:\/\d+)?$/.exec(value.trim());
      if (!c) {
        if (!seenMedia || inAudio) return { ok: false, reason: 'unsupported connection address' };
        continue;
      }
      if (!seenMedia) sessionAddress = c[1];
      else if (inAudio) mediaAddress = c[1];
      continue;
    }
    if (type !== 'a') continue;
    const direction = /^(sendrecv|sendonly|recvonly|inactive)$/.exec(value)?.[1] as Direction | undefined;
    if (direction) {
      if (!seenMedia) sessionDirection = direction;
      else if (inAudio && audio) audio.direction = direction;
      continue;
    }
    if (!inAudio || !audio) continue;
    const rtpmap = /^rtpmap:(\d{1,3}) ([^/\s]+)\/(\d+)/.exec(value);
    if (rtpmap) {
      audio.rtpmap.set(Number(rtpmap[1]), `${rtpmap[2]!.toUpperCase()}/${rtpmap[3]}`);
      continue;
    }
    const ptime = /^ptime:(\d{1,4})$/.exec(value);
    if (ptime) audio.ptimeMs = Number(ptime[1]);
  }
  if (!audio) return { ok: false, reason: 'no audio stream' };
  const address = mediaAddress ?? sessionAddress;
  if (!address) return { ok: false, reason: 'no connection address' };
  audio.address = address;
  return { ok: true, audio };
}

/** Picks the offerer's first G.711 codec, and telephone-event when offered. */
export function negotiate(
  audio: SdpAudio,
  allowed: readonly G711[] = ['pcmu', 'pcma'],
): Negotiated | undefined {
  let chosen: Negotiated | undefined;
  for (const pt of audio.payloadTypes) {
    const name = audio.rtpmap.get(pt);
    const encoding = name === 'PCMU/8000' ? 'pcmu' : name === 'PCMA/8000' ? 'pcma' : undefined;
    if (encoding && allowed.includes(encoding)) {
      chosen = { encoding, payloadType: pt };
      break;
    }
  }
  if (!chosen) return undefined;
  for (const pt of audio.payloadTypes) {
    if (audio.rtpmap.get(pt) === 'TELEPHONE-EVENT/8000') {
      chosen.dtmfPayloadType = pt;
      break;
    }
  }
  return chosen;
}

/** The direction to answer with: the mirror of the offer's (RFC 3264 §6.1). */
export function answerDirection(offered: Direction): Direction {
  if (offered === 'sendonly') return 'recvonly';
  if (offered === 'recvonly') return 'sendonly';
  return offered;
}

export interface SdpDescription {
  /** o= session id (stable for the call) and version (bumped on every change). */
  sessionId: string;
  version: number;
  address: string;
  port: number;
  /** Codecs in order: `{ payloadType, encoding }`. */
  codecs: Array<{ payloadType: number; encoding: G711 }>;
  dtmfPayloadType?: number;
  direction: Direction;
}

export function buildSdp(d: SdpDescription): string {
  const pts = d.codecs.map((c) => c.payloadType);
  if (d.dtmfPayloadType !== undefined) pts.push(d.dtmfPayloadType);
  const lines = [
    'v=0',
    `o=switchboard ${d.sessionId} ${d.version} IN IP4 ${d.address}`,
    's=switchboard',
    `c=IN IP4 ${d.address}`,
    't=0 0',
    `m=audio ${d.port} RTP/AVP ${pts.join(' ')}`,
  ];
  for (const c of d.codecs)
    lines.push(`a=rtpmap:${c.payloadType} ${c.encoding === 'pcmu' ? 'PCMU' : 'PCMA'}/8000`);
  if (d.dtmfPayloadType !== undefined) {
    lines.push(`a=rtpmap:${d.dtmfPayloadType} telephone-event/8000`, `a=fmtp:${d.dtmfPayloadType} 0-16`);
  }
  lines.push('a=ptime:20', `a=${d.direction}`);
  return `${lines.join('\r\n')}\r\n`;
}
