import { agents, type DbOrTx } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../errors.ts';
import type { AgentRow } from '../mappers/agents.ts';

/** The agent with this id in this organization; 404 otherwise (also for other organizations' agents). */
export async function getAgent(
  { db }: { db: DbOrTx },
  input: { organizationId: string; id: string },
): Promise<AgentRow> {
  const [row] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.organizationId, input.organizationId), eq(agents.id, input.id)))
    .limit(1);
  if (!row) throw notFound('Agent');
  return row;
}
