import { users } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { generatePassword, hashPassword, verifyPassword } from '../auth/passwords.ts';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import type { UserRow } from '../mappers/users.ts';
import { getUser } from './get-user.ts';
import { assertMayManage } from './owner-rules.ts';
import { revokedSessions } from './principal.ts';

/**
 * The signed-in user changes their own password: the current one must match (401 otherwise,
 * as for a wrong sign-in), and the new one must differ from it. Clears `mustChangePassword`.
 * Every other session of the user is revoked; the one that made the change (`sessionId`) stays.
 */
export async function changeOwnPassword(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: {
    organizationId: string;
    userId: string;
    sessionId: string | undefined;
    currentPassword: string;
    newPassword: string;
  },
): Promise<UserRow> {
  const user = await getUser(deps, { organizationId: input.organizationId, id: input.userId });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('validation_failed', 'currentPassword: is not your current password', {
      issues: [{ path: 'currentPassword', message: 'is not your current password' }],
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('validation_failed', 'newPassword: must differ from the current password', {
      issues: [{ path: 'newPassword', message: 'must differ from the current password' }],
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const [row] = await deps.db
    .update(users)
    .set({
      passwordHash,
      mustChangePassword: false,
      ...revokedSessions(input.sessionId ?? null),
      updatedAt: deps.clock(),
    })
    .where(and(eq(users.id, user.id), eq(users.organizationId, input.organizationId)))
    .returning();
  return row!;
}

/**
 * Replaces a user's password with a generated one-time password (returned once, never stored in
 * clear); their next sign-in must choose a new one, and their sessions are revoked. Owners only
 * for owners, as for every change.
 */
export async function resetPassword(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { organizationId: string; actorRole: Parameters<typeof assertMayManage>[0]; id: string },
): Promise<{ user: UserRow; password: string }> {
  const target = await getUser(deps, input);
  assertMayManage(input.actorRole, target, undefined);
  const password = generatePassword();
  const [row] = await deps.db
    .update(users)
    .set({
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      ...revokedSessions(),
      updatedAt: deps.clock(),
    })
    .where(and(eq(users.id, target.id), eq(users.organizationId, input.organizationId)))
    .returning();
  return { user: row!, password };
}

/** The user's own profile: their display name. */
export async function updateProfile(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { organizationId: string; userId: string; name: string },
): Promise<UserRow> {
  const [row] = await deps.db
    .update(users)
    .set({ name: input.name, updatedAt: deps.clock() })
    .where(and(eq(users.id, input.userId), eq(users.organizationId, input.organizationId)))
    .returning();
  if (!row) throw new AppError('not_found', 'User not found');
  return row;
}
