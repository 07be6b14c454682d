/**
 * The Twilio hot path without a generic JSON round trip (docs/telephony.md#media-streams-messages).
 *
 * Inbound: a `media` frame (or a `mark` echo) in the exact layout Twilio sends (key order, no whitespace, no escapes)
 * is read by position: fixed literals, digit strings, a base64 payload. Anything else — another
 * event, another key order, an escape, a missing field — returns undefined and goes through the
 * strict generic parser (twilio-messages.ts), so what the fast path accepts is exactly what that
 * parser would accept, with the same result.
 *
 * Outbound: `media`, `mark` and `clear` from prebuilt string templates for the stream (its
 * `streamSid` JSON-encoded once); a payload or mark name that would need escaping falls back to
 * `JSON.stringify`.
 */
import type { TwilioInbound } from './twilio-messages.ts';

const SEQ = '{"event":"media","sequenceNumber":"';
const TRACK = '","media":{"track":"';
const CHUNK = '","chunk":"';
const TIMESTAMP = '","timestamp":"';
const PAYLOAD = '","payload":"';
const SID = '"},"streamSid":"';
const END = '"}';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_DIGITS = 15;

/** Index of the closing quote of a run of 1–15 ASCII digits starting at `from`, or -1. */
function digitsEnd(text: string, from: number): number {
  let i = from;
  const limit = Math.min(text.length, from + MAX_DIGITS + 1);
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) return i > from ? i : -1;
    if (c < 48 || c > 57) return -1;
    i++;
  }
  return -1;
}

/** Index of the next quote from `from` if the run before it has no backslash or control char, else -1. */
function plainEnd(text: string, from: number): number {
  const end = text.indexOf('"', from);
  if (end < 0) return -1;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */ || c < 32) return -1;
  }
  return end;
}

/** A Twilio `media` frame in Twilio's own layout, or undefined (use the generic parser). */
export function parseTwilioMediaFast(text: string): TwilioInbound | undefined {
  if (!text.startsWith(SEQ)) return undefined;
  let at = SEQ.length;
  const seqEnd = digitsEnd(text, at);
  if (seqEnd < 0 || !text.startsWith(TRACK, seqEnd)) return undefined;
  const sequenceNumber = Number(text.slice(at, seqEnd));
  at = seqEnd + TRACK.length;
  const trackEnd = plainEnd(text, at);
  if (trackEnd < 0 || !text.startsWith(CHUNK, trackEnd)) return undefined;
  const track = text.slice(at, trackEnd);
  at = trackEnd + CHUNK.length;
  const chunkEnd = digitsEnd(text, at);
  if (chunkEnd < 0 || !text.startsWith(TIMESTAMP, chunkEnd)) return undefined;
  const chunk = Number(text.slice(at, chunkEnd));
  at = chunkEnd + TIMESTAMP.length;
  const tsEnd = digitsEnd(text, at);
  if (tsEnd < 0 || !text.startsWith(PAYLOAD, tsEnd)) return undefined;
  const timestampMs = Number(text.slice(at, tsEnd));
  at = tsEnd + PAYLOAD.length;
  const payloadEnd = text.indexOf('"', at);
  if (payloadEnd < 0 || !text.startsWith(SID, payloadEnd)) return undefined;
  const payload = text.slice(at, payloadEnd);
  if (!BASE64.test(payload)) return undefined;
  at = payloadEnd + SID.length;
  const sidEnd = plainEnd(text, at);
  if (sidEnd <= at || sidEnd + END.length !== text.length || !text.endsWith(END)) return undefined;
  const streamSid = text.slice(at, sidEnd);
  return { event: 'media', sequenceNumber, streamSid, track, chunk, timestampMs, payload };
}

const MARK_SEQ = '{"event":"mark","sequenceNumber":"';
const MARK_SID = '","streamSid":"';
const MARK_NAME = '","mark":{"name":"';
const MARK_END = '"}}';

/** A Twilio `mark` echo in Twilio's own layout, or undefined (use the generic parser). */
export function parseTwilioMarkFast(text: string): TwilioInbound | undefined {
  if (!text.startsWith(MARK_SEQ)) return undefined;
  let at = MARK_SEQ.length;
  const seqEnd = digitsEnd(text, at);
  if (seqEnd < 0 || !text.startsWith(MARK_SID, seqEnd)) return undefined;
  const sequenceNumber = Number(text.slice(at, seqEnd));
  at = seqEnd + MARK_SID.length;
  const sidEnd = plainEnd(text, at);
  if (sidEnd <= at || !text.startsWith(MARK_NAME, sidEnd)) return undefined;
  const streamSid = text.slice(at, sidEnd);
  at = sidEnd + MARK_NAME.length;
  const nameEnd = plainEnd(text, at);
  if (nameEnd < 0 || nameEnd + MARK_END.length !== text.length || !text.endsWith(MARK_END)) return undefined;
  return { event: 'mark', sequenceNumber, streamSid, name: text.slice(at, nameEnd) };
}

/** Whether `s` can sit between quotes in JSON as is (no quote, backslash or control character). */
function jsonSafe(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32) return false;
  }
  return true;
}

const BASE64_CHARS = /^[A-Za-z0-9+/=]*$/;

/** Outgoing frames of one stream, from templates built once per `streamSid`. */
export class TwilioOutbound {
  readonly #sid: string;
  readonly #mediaHead: string;
  readonly #markHead: string;
  readonly #clear: string;

  constructor(streamSid: string | undefined) {
    this.#sid = streamSid ?? '';
    const sid = streamSid === undefined ? '' : `,"streamSid":${JSON.stringify(streamSid)}`;
    this.#mediaHead = `{"event":"media"${sid},"media":{"payload":"`;
    this.#markHead = `{"event":"mark"${sid},"mark":{"name":"`;
    this.#clear = `{"event":"clear"${sid}}`;
  }

  get streamSid(): string {
    return this.#sid;
  }

  media(payload: string): string {
    // Payloads are base64 (the model adapters produce them); anything else is encoded properly.
    if (BASE64_CHARS.test(payload)) return `${this.#mediaHead}${payload}"}}`;
    return JSON.stringify({ event: 'media', streamSid: this.#sid, media: { payload } });
  }

  mark(name: string): string {
    if (jsonSafe(name)) return `${this.#markHead}${name}"}}`;
    return JSON.stringify({ event: 'mark', streamSid: this.#sid, mark: { name } });
  }

  clear(): string {
    return this.#clear;
  }
}
