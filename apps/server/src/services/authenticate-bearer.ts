import { apiKeys, type DbOrTx, users } from '@switchboard/db';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { hashApiKey, looksLikeApiKey } from '../auth/api-key-token.ts';
import type { AuthContext } from '../auth/roles.ts';
import type { SessionTokens } from '../auth/session-token.ts';

/** How stale `api_keys.last_used_at` may get before a request refreshes it (avoids a write per request). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves a bearer token (session JWT or `sk_…` API key) to the caller, or null when the
 * token is unknown, expired, revoked or belongs to a disabled user.
 */
export async function authenticateBearer(
  deps: { db: DbOrTx; sessions: SessionTokens },
  token: string,
  now: Date,
): Promise<AuthContext | null> {
  const { db } = deps;
  if (looksLikeApiKey(token)) {
    const [key] = await db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hashApiKey(token)), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!key) return null;
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
      await db
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(
          and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))),
        );
    }
    return { organizationId: key.organizationId, role: key.role, apiKeyId: key.id };
  }
  const claims = await deps.sessions.verify(token, now);
  if (!claims) return null;
  const [user] = await db
    .select({ id: users.id, organizationId: users.organizationId, role: users.role })
    .from(users)
    .where(
      and(
        eq(users.id, claims.userId),
        eq(users.organizationId, claims.organizationId),
        isNull(users.disabledAt),
      ),
    )
    .limit(1);
  if (!user) return null;
  return { organizationId: user.organizationId, role: user.role, userId: user.id };
}
