import { apiKeys, type DbOrTx } from '@switchboard/db';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { hashApiKey, looksLikeApiKey } from '../auth/api-key-token.ts';
import type { AuthContext } from '../auth/roles.ts';
import type { SessionTokens } from '../auth/session-token.ts';
import { apiKeyPrincipal, sessionPrincipal } from './principal.ts';

/** How stale `api_keys.last_used_at` may get before a request refreshes it (avoids a write per request). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a bearer token (session JWT or `sk_…` API key) to the caller, or null when the
 * token is unknown, expired or revoked (principal.ts says when).
 */
export async function authenticateBearer(
  deps: { db: DbOrTx; sessions: SessionTokens },
  token: string,
  now: Date,
): Promise<AuthContext | null> {
  const { db } = deps;
  if (looksLikeApiKey(token)) {
    const found = await apiKeyPrincipal(db, eq(apiKeys.keyHash, hashApiKey(token)));
    if (!found) return null;
    const { key } = found;
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
      await db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(
          and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))),
        );
    }
    return found.auth;
  }
  const claims = await deps.sessions.verify(token, now);
  if (!claims) return null;
  return sessionPrincipal(db, claims);
}
