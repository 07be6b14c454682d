import { users } from '@switchboard/db';
import type { Role } from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords.ts';
import type { ServiceDeps } from '../context.ts';
import type { UserRow } from '../mappers/users.ts';
import { lockOrganization } from '../sql.ts';
import { getUser } from './get-user.ts';
import { assertMayManage, assertNotLastOwner } from './owner-rules.ts';
import { revokedSessions } from './principal.ts';

export interface UpdateUserInput {
  organizationId: string;
  actorRole: Role;
  id: string;
  patch: {
    name?: string | undefined;
    role?: Role | undefined;
    password?: string | undefined;
    disabled?: boolean | undefined;
  };
}

/**
 * Renames, changes the role of, resets the password of, or disables/enables a user. A new
 * password, a new role or disabling revokes the user's sessions (token version bumped).
 */
export async function updateUser(deps: ServiceDeps, input: UpdateUserInput): Promise<UserRow> {
  const { patch } = input;
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    const target = await getUser({ db: tx }, input);
    assertMayManage(input.actorRole, target, patch.role);
    if ((patch.role !== undefined && patch.role !== 'owner') || patch.disabled === true) {
      await assertNotLastOwner(tx, target, patch.disabled ? 'disable' : 'demote');
    }
    const revoke =
      passwordHash !== undefined ||
      (patch.role !== undefined && patch.role !== target.role) ||
      (patch.disabled === true && target.disabledAt === null);
    const [row] = await tx
      .update(users)
      .set({
        ...(revoke ? revokedSessions() : {}),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(passwordHash !== undefined ? { passwordHash, mustChangePassword: true } : {}),
        ...(patch.disabled !== undefined
          ? { disabledAt: patch.disabled ? (target.disabledAt ?? now) : null }
          : {}),
        updatedAt: now,
      })
      .where(eq(users.id, target.id))
      .returning();
    return row!;
  });
}
