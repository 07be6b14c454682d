import { type DbOrTx, users } from '@switchboard/db';
import type { Role } from '@switchboard/shared';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import type { UserRow } from '../mappers/users.ts';

/** Owners are managed by owners only. */
export function assertMayManage(actorRole: Role, target: Pick<UserRow, 'role'>, newRole?: Role): void {
  if (actorRole === 'owner') return;
  if (target.role === 'owner') throw new AppError('forbidden', 'Only an owner can modify owners');
  if (newRole === 'owner') throw new AppError('forbidden', 'Only an owner can grant the owner role');
}

/**
 * Throws 409 when `target` is the organization's last active owner. Call inside a transaction
 * that holds the organization lock (sql.ts lockOrganization) so two requests cannot both pass.
 */
export async function assertNotLastOwner(tx: DbOrTx, target: UserRow, action: string): Promise<void> {
  if (target.role !== 'owner' || target.disabledAt) return;
  const others = await tx.$count(
    users,
    and(
      eq(users.organizationId, target.organizationId),
      eq(users.role, 'owner'),
      isNull(users.disabledAt),
      ne(users.id, target.id),
    ),
  );
  if (others === 0) throw new AppError('conflict', `Cannot ${action} the last owner of the organization`);
}
