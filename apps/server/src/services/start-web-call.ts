/**
 * A test call from the dashboard's browser ("Test in browser"): the call row, so the call, its
 * transcript and events are persisted and shown live exactly like a phone call. Direction `web`,
 * from `browser`, to the agent's name; no provider call SID.
 */
import { createCall, type RecordDeps } from '../call-record/update-call.ts';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';

export async function startWebCall(
  deps: RecordDeps,
  input: { organizationId: string; agent: Pick<AgentRow, 'id' | 'name'> },
): Promise<CallRow> {
  // No provider CallSid, so nothing can conflict: the row is always new.
  const row = await createCall(deps, {
    organizationId: input.organizationId,
    direction: 'web',
    from: 'browser',
    to: input.agent.name ?? '',
    status: 'in-progress',
    agentId: input.agent.id,
    startedAt: deps.clock(),
  });
  return row!;
}
