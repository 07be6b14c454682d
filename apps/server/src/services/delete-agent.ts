import { agents } from '@switchboard/db';
import { asc, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AgentRow } from '../mappers/agents.ts';
import { lockOrganization } from '../sql.ts';
import { getAgent } from './get-agent.ts';

/**
 * Deletes an agent. The last agent cannot be deleted (409); deleting the default promotes the
 * oldest remaining agent. Calls and phone numbers keep existing with the agent reference cleared.
 */
export async function deleteAgent(
  deps: ServiceDeps,
  input: { organizationId: string; id: string },
): Promise<AgentRow> {
  return deps.db.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    const existing = await getAgent({ db: tx }, input);
    const sameOrg = eq(agents.organizationId, input.organizationId);
    if ((await tx.$count(agents, sameOrg)) <= 1) {
      throw new AppError('conflict', 'Cannot delete the last agent; create another one first');
    }
    await tx.delete(agents).where(eq(agents.id, existing.id));
    if (existing.isDefault) {
      const [next] = await tx
        .select({ id: agents.id })
        .from(agents)
        .where(sameOrg)
        .orderBy(asc(agents.createdAt), asc(agents.id))
        .limit(1);
      if (next) await tx.update(agents).set({ isDefault: true }).where(eq(agents.id, next.id));
    }
    return existing;
  });
}
