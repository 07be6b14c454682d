/**
 * A test call from the dashboard's browser ("Test in browser"): the call row, so the call, its
 * transcript and events are persisted and shown live exactly like a phone call. Direction `web`,
 * from `browser`, to the agent's name; no provider call SID.
 */
import { calls } from '@switchboard/db';
import type { ServiceDeps } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';

export async function startWebCall(
  deps: ServiceDeps,
  input: { organizationId: string; agent: Pick<AgentRow, 'id' | 'name'> },
): Promise<CallRow> {
  const [row] = await deps.db
    .insert(calls)
    .values({
      organizationId: input.organizationId,
      direction: 'web',
      from: 'browser',
      to: input.agent.name ?? '',
      status: 'in-progress',
      agentId: input.agent.id,
      startedAt: deps.clock(),
    })
    .returning();
  return row!;
}
