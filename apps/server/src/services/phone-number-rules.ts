import { agents, type DbOrTx } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { AppError, validationFailed } from '../errors.ts';

/** A referenced agent must belong to the same organization (same answer for unknown and foreign ids). */
export async function assertAgentInOrganization(
  db: DbOrTx,
  organizationId: string,
  agentId: string | null | undefined,
): Promise<void> {
  if (!agentId) return;
  const found = await db.$count(
    agents,
    and(eq(agents.organizationId, organizationId), eq(agents.id, agentId)),
  );
  if (found === 0) throw validationFailed([{ path: 'agentId', message: 'no such agent' }]);
}

export function numberTakenError(): AppError {
  return new AppError('conflict', 'This phone number is already registered', { field: 'number' });
}
