import { apiKeys, users } from '@switchboard/db';
import type { Role } from '@switchboard/shared';
import { and, eq, isNull } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import type { UserRow } from '../mappers/users.ts';
import { lockOrganization } from '../sql.ts';
import { getUser } from './get-user.ts';
import { assertMayManage, assertNotLastOwner } from './owner-rules.ts';

/**
 * Removes a user (their audit rows keep the action, with the user reference cleared). Their
 * sessions end with the row; the API keys they created are revoked (the creator reference
 * would otherwise be cleared and the key would outlive its creator's rights).
 */
export async function deleteUser(
  deps: ServiceDeps,
  input: { organizationId: string; actorRole: Role; actorUserId: string | undefined; id: string },
): Promise<UserRow> {
  return deps.db.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    const target = await getUser({ db: tx }, input);
    assertMayManage(input.actorRole, target);
    if (target.id === input.actorUserId) throw new AppError('conflict', 'You cannot delete your own account');
    await assertNotLastOwner(tx, target, 'delete');
    await tx
      .update(apiKeys)
      .set({ revokedAt: deps.clock() })
      .where(
        and(
          eq(apiKeys.organizationId, input.organizationId),
          eq(apiKeys.createdBy, target.id),
          isNull(apiKeys.revokedAt),
        ),
      );
    await tx.delete(users).where(eq(users.id, target.id));
    return target;
  });
}
