/**
 * The browser media protocol (`/api/browser-call`, docs/telephony.md "Browser calls"): JSON
 * text frames, audio as base64 PCM16 little-endian mono 24 kHz. Pure parsing of what the
 * browser sends and the shapes of what the server sends. Failure reasons never quote frame
 * content (it may hold personal data).
 */
import { base64ByteLength } from '@switchboard/audio';

/** What the browser sends. */
export type BrowserInbound =
  | { type: 'audio'; audio: string }
  | { type: 'stop' }
  /** Any other `type`: ignored, so newer clients can talk to older servers. */
  | { type: 'unknown'; name: string };

/** Server → browser messages besides audio/clear (which the transport sends itself). */
export type BrowserNotice =
  | { type: 'ready'; callId: string }
  | { type: 'transcript'; role: 'user' | 'assistant'; text: string; final: boolean }
  | { type: 'ended'; reason: string }
  | { type: 'error'; message: string };

export type BrowserParseResult = { ok: true; message: BrowserInbound } | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const bad = (reason: string): BrowserParseResult => ({ ok: false, reason });

export function parseBrowserFrame(text: string): BrowserParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad('not an object');
  const frame = json as Record<string, unknown>;
  if (typeof frame.type !== 'string') return bad('no type field');
  switch (frame.type) {
    case 'stop':
      return { ok: true, message: { type: 'stop' } };
    case 'audio': {
      const audio = frame.audio;
      if (typeof audio !== 'string' || audio.length === 0) return bad('audio: missing audio');
      if (audio.length % 4 !== 0 || !BASE64.test(audio)) return bad('audio: not base64');
      if (base64ByteLength(audio) % 2 !== 0) return bad('audio: odd byte count (PCM16 needs whole samples)');
      return { ok: true, message: { type: 'audio', audio } };
    }
    default:
      return { ok: true, message: { type: 'unknown', name: frame.type.slice(0, 32) } };
  }
}
