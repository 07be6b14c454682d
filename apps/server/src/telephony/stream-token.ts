/**
 * The short-lived token that binds a Twilio media stream to its call. It travels as a TwiML
 * `<Parameter name="token">` (Twilio forbids query strings on `<Stream url>`) and is checked on
 * the stream's `start` message: HMAC-SHA256 over the call id, the Twilio CallSid and an expiry,
 * keyed with a subkey of APP_SECRET.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../secrets.ts';

/** How long after the webhook the stream may start (Twilio connects within seconds). */
export const STREAM_TOKEN_TTL_MS = 5 * 60 * 1000;

export interface StreamTokenClaims {
  callId: string;
  callSid: string;
}

export interface StreamTokens {
  sign(claims: StreamTokenClaims, now: Date): string;
  /** The claims when the token is authentic, unexpired and issued for `callSid`; otherwise null. */
  verify(token: string | undefined, callSid: string, now: Date): StreamTokenClaims | null;
}

export function createStreamTokens(appSecret: string): StreamTokens {
  const key = deriveKey(appSecret, 'media-stream-token/hmac-sha256');
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    sign({ callId, callSid }, now) {
      const payload = Buffer.from(
        JSON.stringify({ c: callId, s: callSid, e: now.getTime() + STREAM_TOKEN_TTL_MS }),
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
          e?: unknown;
        };
        if (typeof claims.c !== 'string' || typeof claims.s !== 'string' || typeof claims.e !== 'number')
          return null;
        if (claims.e < now.getTime() || claims.s !== callSid) return null;
        return { callId: claims.c, callSid: claims.s };
      } catch {
        return null;
      }
    },
  };
}
