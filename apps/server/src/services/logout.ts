import { users } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { revokedSessions } from './principal.ts';

/** Signs the user out everywhere: every session token (and ticket) minted so far is refused. */
export async function logoutEverywhere(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  input: { organizationId: string; userId: string },
): Promise<void> {
  await deps.db
    .update(users)
    .set({ ...revokedSessions(), updatedAt: deps.clock() })
    .where(and(eq(users.id, input.userId), eq(users.organizationId, input.organizationId)));
}
