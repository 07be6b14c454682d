/**
 * Pure parsing of Twilio Media Streams frames (docs/telephony.md#media-streams-messages). Strict on
 * types, as Twilio is: `sequenceNumber`, `chunk` and `timestamp` are strings of digits;
 * `sampleRate` and `channels` are numbers. Failure reasons never quote frame content (it may hold
 * personal data).
 */
import type { AudioFormat, TelephonyStartInfo } from '../types.ts';
import { parseTwilioMarkFast, parseTwilioMediaFast } from './twilio-fast.ts';

export type TwilioInbound =
  | { event: 'connected' }
  | { event: 'start'; sequenceNumber: number; start: TelephonyStartInfo }
  | {
      event: 'media';
      sequenceNumber: number;
      streamSid: string;
      track: string;
      chunk: number;
      timestampMs: number;
      payload: string;
    }
  | { event: 'mark'; sequenceNumber: number; streamSid: string; name: string }
  | { event: 'dtmf'; sequenceNumber: number; streamSid: string; digit: string }
  | { event: 'stop'; sequenceNumber: number; streamSid: string; reason?: string }
  | { event: 'unknown'; name: string };

export type ParseResult = { ok: true; message: TwilioInbound } | { ok: false; reason: string };

const DIGITS = /^\d{1,15}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DTMF_DIGIT = /^[0-9*#A-D]$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const digits = (v: unknown): number | undefined => (isStr(v) && DIGITS.test(v) ? Number(v) : undefined);

const bad = (reason: string): ParseResult => ({ ok: false, reason });
const ok = (message: TwilioInbound): ParseResult => ({ ok: true, message });

export function parseTwilioFrame(text: string): ParseResult {
  // Media frames and mark echoes in Twilio's own layout skip the generic parse (same checks, same result).
  const fast = parseTwilioMediaFast(text) ?? parseTwilioMarkFast(text);
  if (fast) return { ok: true, message: fast };
  return parseTwilioFrameStrict(text);
}

/** The generic parser: every frame, any key order (what the fast path falls back to). */
export function parseTwilioFrameStrict(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  if (!isObj(json) || !isStr(json.event)) return bad('no event field');
  if (json.event === 'connected') return ok({ event: 'connected' });

  const seq = digits(json.sequenceNumber);
  const known = ['start', 'media', 'mark', 'dtmf', 'stop'];
  if (!known.includes(json.event)) return ok({ event: 'unknown', name: json.event.slice(0, 32) });
  if (seq === undefined) return bad(`${json.event}: sequenceNumber must be a string of digits`);
  if (!isStr(json.streamSid) || json.streamSid === '') return bad(`${json.event}: missing streamSid`);
  const streamSid = json.streamSid;

  switch (json.event) {
    case 'start':
      return parseStart(json.start, seq, streamSid);
    case 'media': {
      const m = json.media;
      if (!isObj(m)) return bad('media: missing media object');
      const chunk = digits(m.chunk);
      const timestampMs = digits(m.timestamp);
      if (chunk === undefined || timestampMs === undefined) {
        return bad('media: chunk and timestamp must be strings of digits');
      }
      if (!isStr(m.payload) || !BASE64.test(m.payload)) return bad('media: payload must be base64');
      const track = isStr(m.track) ? m.track : 'inbound';
      return ok({
        event: 'media',
        sequenceNumber: seq,
        streamSid,
        track,
        chunk,
        timestampMs,
        payload: m.payload,
      });
    }
    case 'mark': {
      const m = json.mark;
      if (!isObj(m) || !isStr(m.name)) return bad('mark: missing mark.name');
      return ok({ event: 'mark', sequenceNumber: seq, streamSid, name: m.name });
    }
    case 'dtmf': {
      const d = json.dtmf;
      if (!isObj(d) || !isStr(d.digit) || !DTMF_DIGIT.test(d.digit)) return bad('dtmf: invalid digit');
      return ok({ event: 'dtmf', sequenceNumber: seq, streamSid, digit: d.digit });
    }
    default: {
      const s = json.stop;
      const reason = isObj(s) && isStr(s.reason) ? s.reason : undefined;
      return ok(
        reason === undefined
          ? { event: 'stop', sequenceNumber: seq, streamSid }
          : { event: 'stop', sequenceNumber: seq, streamSid, reason },
      );
    }
  }
}

function parseStart(start: unknown, sequenceNumber: number, streamSid: string): ParseResult {
  if (!isObj(start)) return bad('start: missing start object');
  if (!isStr(start.callSid) || start.callSid === '') return bad('start: missing callSid');
  if (isStr(start.streamSid) && start.streamSid !== streamSid) return bad('start: streamSid mismatch');
  const mf = start.mediaFormat;
  if (
    !isObj(mf) ||
    !isStr(mf.encoding) ||
    typeof mf.sampleRate !== 'number' ||
    typeof mf.channels !== 'number'
  ) {
    return bad('start: mediaFormat needs string encoding and numeric sampleRate/channels');
  }
  const mediaFormat = toAudioFormat(mf.encoding, mf.sampleRate, mf.channels);
  if (!mediaFormat) return bad('start: unsupported mediaFormat');

  const customParameters: Record<string, string> = {};
  if (isObj(start.customParameters)) {
    for (const [key, value] of Object.entries(start.customParameters)) {
      if (isStr(value)) customParameters[key] = value;
    }
  }
  const tracks = Array.isArray(start.tracks) ? start.tracks.filter(isStr) : ['inbound'];
  const info: TelephonyStartInfo = {
    callSid: start.callSid,
    streamSid,
    customParameters,
    mediaFormat,
    tracks,
  };
  if (isStr(start.accountSid)) info.accountSid = start.accountSid;
  return ok({ event: 'start', sequenceNumber, start: info });
}

function toAudioFormat(encoding: string, sampleRate: number, channels: number): AudioFormat | undefined {
  if (sampleRate !== 8000 || channels !== 1) return undefined;
  if (encoding === 'audio/x-mulaw') return { encoding: 'pcmu', sampleRate, channels };
  if (encoding === 'audio/x-alaw') return { encoding: 'pcma', sampleRate, channels };
  return undefined;
}
