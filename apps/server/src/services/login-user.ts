import { type DbOrTx, users } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { verifyPassword } from '../auth/passwords.ts';
import type { SessionTokens } from '../auth/session-token.ts';
import type { UserRow } from '../mappers/users.ts';

export type LoginResult =
  | { ok: true; user: UserRow; token: string; expiresAt: Date }
  /** `user` is set when the email exists (so the failure can be audited), never shown to the client. */
  | { ok: false; user: UserRow | undefined };

/**
 * Checks an email and password. Unknown emails still cost one argon2 verification, so timing
 * does not reveal which accounts exist. Disabled accounts fail like a wrong password.
 */
export async function loginUser(
  deps: { db: DbOrTx; sessions: SessionTokens },
  input: { email: string; password: string },
  now: Date,
): Promise<LoginResult> {
  const [user] = await deps.db
    .select()
    .from(users)
    .where(eq(users.email, input.email.trim().toLowerCase()))
    .limit(1);
  const valid = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !valid || user.disabledAt) return { ok: false, user };
  const [updated] = await deps.db
    .update(users)
    .set({ lastLoginAt: now })
    .where(eq(users.id, user.id))
    .returning();
  const { token, expiresAt } = await deps.sessions.sign(
    { userId: user.id, organizationId: user.organizationId, tokenVersion: user.tokenVersion },
    now,
  );
  return { ok: true, user: updated ?? user, token, expiresAt };
}
