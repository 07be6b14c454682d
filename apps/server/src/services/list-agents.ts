import { agents } from '@switchboard/db';
import type { ListResponse } from '@switchboard/shared';
import { asc, desc, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';
import { pageOf } from '../sql.ts';

/** The organization's agents: the default first, then oldest first. */
export async function listAgents(
  { db }: ServiceDeps,
  input: { organizationId: string; limit: number; offset: number },
): Promise<ListResponse<AgentRow>> {
  const where = eq(agents.organizationId, input.organizationId);
  return pageOf(
    db
      .select()
      .from(agents)
      .where(where)
      .orderBy(desc(agents.isDefault), asc(agents.createdAt), asc(agents.id))
      .limit(input.limit)
      .offset(input.offset),
    db.$count(agents, where),
    input,
  );
}
