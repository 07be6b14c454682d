/**
 * Dashboard session tokens: JWT (HS256, jose) signed with a subkey of APP_SECRET. A token
 * carries only who, which organization, the user's token version (`tv`) and a random session id
 * (`sid`); the role and the version are read from the database on every request, so a demotion,
 * a disabled account or a revocation (authenticate-bearer.ts) takes effect at once.
 */
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { deriveKey } from '../secrets.ts';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const ISSUER = 'switchboard';
const AUDIENCE = 'switchboard-api';

export interface SessionClaims {
  userId: string;
  organizationId: string;
  /** `users.token_version` when the token was minted; 0 for tokens minted before versions existed. */
  tokenVersion: number;
  /** Random id of this session (absent in tokens minted before session ids existed). */
  sessionId?: string | undefined;
}

type SignInput = Omit<SessionClaims, 'sessionId'>;

export interface SessionTokens {
  sign(claims: SignInput, now: Date): Promise<{ token: string; expiresAt: Date }>;
  /** The claims of a valid, unexpired token; null for anything else. */
  verify(token: string, now: Date): Promise<SessionClaims | null>;
}

export function createSessionTokens(appSecret: string): SessionTokens {
  const key = deriveKey(appSecret, 'session-jwt/hs256');
  return {
    async sign({ userId, organizationId, tokenVersion }, now) {
      const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
      const sid = randomBytes(16).toString('base64url');
      const token = await new SignJWT({ org: organizationId, tv: tokenVersion, sid })
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
        const tv = payload.tv ?? 0;
        if (typeof tv !== 'number' || !Number.isSafeInteger(tv)) return null;
        const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
        return { userId: payload.sub, organizationId: payload.org, tokenVersion: tv, sessionId: sid };
      } catch {
        return null;
      }
    },
  };
}
