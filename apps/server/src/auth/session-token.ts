/**
 * Dashboard session tokens: JWT (HS256, jose) signed with a subkey of APP_SECRET. A token
 * carries only who and which organization; the role is read from the database on every request
 * so a demotion or a disabled account takes effect at once.
 */
import { jwtVerify, SignJWT } from 'jose';
import { deriveKey } from '../secrets.ts';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const ISSUER = 'switchboard';
const AUDIENCE = 'switchboard-api';

export interface SessionClaims {
  userId: string;
  organizationId: string;
}

export interface SessionTokens {
  sign(claims: SessionClaims, now: Date): Promise<{ token: string; expiresAt: Date }>;
  /** The claims of a valid, unexpired token; null for anything else. */
  verify(token: string, now: Date): Promise<SessionClaims | null>;
}

export function createSessionTokens(appSecret: string): SessionTokens {
  const key = deriveKey(appSecret, 'session-jwt/hs256');
  return {
    async sign({ userId, organizationId }, now) {
      const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
      const token = await new SignJWT({ org: organizationId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(Math.floor(now.getTime() / 1000))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token, now) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: now,
        });
        if (typeof payload.sub !== 'string' || typeof payload.org !== 'string') return null;
        return { userId: payload.sub, organizationId: payload.org };
      } catch {
        return null;
      }
    },
  };
}
