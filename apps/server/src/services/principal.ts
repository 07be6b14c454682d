/**
 * Who a credential stands for, read from the database every time it is used (each request, each
 * ticket, each re-check of an open stream): a user's session is valid while the user exists, is
 * not disabled and the session's token version is the user's current one (or it is the session
 * kept by its own password change); an API key while it is not revoked and its creator (if any)
 * is neither disabled nor below the key's role (docs/security.md "Revocation").
 */
import { apiKeys, type DbOrTx, users } from '@switchboard/db';
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { type AuthContext, hasRole } from '../auth/roles.ts';

/** A session as its token describes it. */
export interface SessionRef {
  userId: string;
  organizationId: string;
  tokenVersion: number;
  sessionId?: string | undefined;
}

/** The SET expression that revokes every session of a user (one atomic increment). */
const bumpedTokenVersion = (): SQL => sql`${users.tokenVersion} + 1`;

/**
 * The user columns that revoke every session, the one `keptSessionId` names excepted (a
 * password change keeps the session that made it; everything else keeps none).
 */
export const revokedSessions = (keptSessionId: string | null = null) => ({
  tokenVersion: bumpedTokenVersion(),
  keptSessionId,
});

/** The caller of a session, or null when it has been revoked, the user disabled or deleted. */
export async function sessionPrincipal(db: DbOrTx, ref: SessionRef): Promise<AuthContext | null> {
  const [user] = await db
    .select({
      id: users.id,
      organizationId: users.organizationId,
      role: users.role,
      tokenVersion: users.tokenVersion,
      keptSessionId: users.keptSessionId,
    })
    .from(users)
    .where(
      and(eq(users.id, ref.userId), eq(users.organizationId, ref.organizationId), isNull(users.disabledAt)),
    )
    .limit(1);
  if (!user) return null;
  const current =
    user.tokenVersion === ref.tokenVersion ||
    (ref.sessionId !== undefined && user.keptSessionId === ref.sessionId);
  if (!current) return null;
  return {
    organizationId: user.organizationId,
    role: user.role,
    userId: user.id,
    session: { tokenVersion: ref.tokenVersion, sessionId: ref.sessionId },
  };
}

/** The API key matching `where` if it may still authenticate (not revoked, its creator still entitled). */
export async function apiKeyPrincipal(
  db: DbOrTx,
  where: SQL | undefined,
): Promise<{ key: typeof apiKeys.$inferSelect; auth: AuthContext } | null> {
  const [row] = await db
    .select({ key: apiKeys, creatorRole: users.role, creatorDisabledAt: users.disabledAt })
    .from(apiKeys)
    .leftJoin(users, and(eq(users.id, apiKeys.createdBy), eq(users.organizationId, apiKeys.organizationId)))
    .where(and(where, isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  const { key } = row;
  // Keys without a creator (made before creators were recorded) work as before.
  if (key.createdBy !== null) {
    if (row.creatorRole === null || row.creatorDisabledAt !== null) return null;
    if (!hasRole(row.creatorRole, key.role)) return null;
  }
  return { key, auth: { organizationId: key.organizationId, role: key.role, apiKeyId: key.id } };
}

/**
 * The caller again, as the database says now (null: revoked): used by open streams, and by a
 * ticket for the caller it was issued to.
 */
export async function recheckPrincipal(
  db: DbOrTx,
  auth: Pick<AuthContext, 'organizationId' | 'userId' | 'apiKeyId' | 'session'>,
): Promise<AuthContext | null> {
  if (auth.apiKeyId) {
    const found = await apiKeyPrincipal(
      db,
      and(eq(apiKeys.id, auth.apiKeyId), eq(apiKeys.organizationId, auth.organizationId)),
    );
    return found?.auth ?? null;
  }
  if (auth.userId && auth.session) {
    return sessionPrincipal(db, {
      userId: auth.userId,
      organizationId: auth.organizationId,
      ...auth.session,
    });
  }
  return null;
}
