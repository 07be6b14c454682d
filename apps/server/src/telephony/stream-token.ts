/**
 * The short-lived token that binds a Twilio media stream to its call. It travels as a TwiML
 * `<Parameter name="token">` (Twilio forbids query strings on `<Stream url>`) and is checked on
 * the stream's `start` message: HMAC-SHA256 over the call id, the Twilio CallSid, a nonce, the
 * stream's parameters (resume after a transfer…) and an expiry, keyed with a subkey of
 * APP_SECRET. The nonce makes it single-use: `start` consumes it in the database
 * (calls/stream-grants.ts), so a replayed token starts nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../secrets.ts';

/** How long after the webhook the stream may start (Twilio connects within a second or two). */
export const STREAM_TOKEN_TTL_MS = 60 * 1000;

export interface StreamTokenClaims {
  callId: string;
  callSid: string;
  /** Single-use: consumed on `start` (calls/stream-grants.ts). */
  nonce: string;
  /** Every `<Parameter>` that changes what the stream does (resume, transfer status). */
  parameters: Record<string, string>;
}

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');

export interface StreamTokens {
  sign(claims: StreamTokenClaims, now: Date): string;
  /** The claims when the token is authentic, unexpired and issued for `callSid`; otherwise null. */
  verify(token: string | undefined, callSid: string, now: Date): StreamTokenClaims | null;
}

export function createStreamTokens(appSecret: string): StreamTokens {
  const key = deriveKey(appSecret, 'media-stream-token/hmac-sha256');
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    sign({ callId, callSid, nonce, parameters }, now) {
      const payload = Buffer.from(
        JSON.stringify({
          c: callId,
          s: callSid,
          n: nonce,
          p: parameters,
          e: now.getTime() + STREAM_TOKEN_TTL_MS,
        }),
      ).toString('base64url');
      return `${payload}.${mac(payload)}`;
    },
    verify(token, callSid, now) {
      if (typeof token !== 'string' || token.length > 1024) return null;
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return null;
      const expected = Buffer.from(mac(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
          c?: unknown;
          s?: unknown;
          n?: unknown;
          p?: unknown;
          e?: unknown;
        };
        if (
          typeof claims.c !== 'string' ||
          typeof claims.s !== 'string' ||
          typeof claims.n !== 'string' ||
          typeof claims.e !== 'number' ||
          !isStringRecord(claims.p)
        )
          return null;
        if (claims.e < now.getTime() || claims.s !== callSid) return null;
        return { callId: claims.c, callSid: claims.s, nonce: claims.n, parameters: claims.p };
      } catch {
        return null;
      }
    },
  };
}
