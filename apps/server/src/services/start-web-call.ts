/**
 * A test call from the dashboard's browser ("Test in browser"): the call row, so the call, its
 * transcript and events are persisted and shown live exactly like a phone call. Direction `web`,
 * from `browser`, to the agent's name; no provider call SID. The website widget's conversations
 * are web calls too, with their channel (`web_voice`, `web_chat`) and `from` = `website`; the
 * studio's text test chat is a `web_chat` from `browser` (a test by the team, like the test call).
 */
import type { CallChannel } from '@switchboard/shared';
import { createCall, type RecordDeps } from '../call-record/update-call.ts';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';

export async function startWebCall(
  deps: RecordDeps,
  input: {
    organizationId: string;
    agent: Pick<AgentRow, 'id' | 'name'>;
    channel?: CallChannel;
    /** Who started it: the dashboard (`browser`, the default for the phone channel) or a visitor. */
    from?: 'browser' | 'website';
  },
): Promise<CallRow> {
  // No provider CallSid, so nothing can conflict: the row is always new.
  const row = await createCall(deps, {
    organizationId: input.organizationId,
    direction: 'web',
    channel: input.channel ?? 'phone',
    from: input.from ?? (input.channel && input.channel !== 'phone' ? 'website' : 'browser'),
    to: input.agent.name ?? '',
    status: 'in-progress',
    agentId: input.agent.id,
    startedAt: deps.clock(),
  });
  return row!;
}
