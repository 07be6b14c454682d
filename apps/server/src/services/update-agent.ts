import { agents } from '@switchboard/db';
import {
  DEFAULT_MODELS,
  DEFAULT_TUNING,
  DEFAULT_VOICES,
  type updateAgentSchema,
  VOICES,
} from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AgentRow } from '../mappers/agents.ts';
import { lockOrganization } from '../sql.ts';
import {
  assertAgentCoherent,
  assertKeypadTargets,
  assertMcpToolsKnown,
  clearOtherDefaults,
} from './agent-rules.ts';
import { getAgent } from './get-agent.ts';

export type UpdateAgentData = z.output<typeof updateAgentSchema>;

/**
 * Applies a partial update. Tuning fields merge over the stored tuning. Switching provider
 * without naming a model/voice picks the new provider's defaults (keeping a voice both share).
 * Making an agent the default clears the flag elsewhere; un-defaulting the default is refused
 * (make another agent the default instead). The default outbound agent is optional: switching
 * `isDefaultOutbound` on clears it elsewhere, off leaves outbound to the default agent.
 */
export async function updateAgent(
  deps: ServiceDeps,
  input: { organizationId: string; id: string; patch: UpdateAgentData },
): Promise<AgentRow> {
  const { patch, organizationId } = input;
  return deps.db.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    const existing = await getAgent({ db: tx }, input);
    const provider = patch.provider ?? existing.provider;
    const providerChanged = provider !== existing.provider;
    const keptVoice = VOICES[provider].includes(existing.voice) ? existing.voice : DEFAULT_VOICES[provider];
    const next = {
      ...patch,
      provider,
      model: patch.model ?? (providerChanged ? DEFAULT_MODELS[provider] : existing.model),
      voice: patch.voice ?? (providerChanged ? keptVoice : existing.voice),
      tuning: { ...DEFAULT_TUNING, ...existing.tuning, ...patch.tuning },
    };
    if (patch.voice !== undefined || providerChanged || patch.tuning !== undefined) assertAgentCoherent(next);
    if (patch.dtmfActions !== undefined || patch.transferNumber !== undefined) {
      assertKeypadTargets({
        dtmfActions: patch.dtmfActions ?? existing.dtmfActions,
        transferNumber: patch.transferNumber !== undefined ? patch.transferNumber : existing.transferNumber,
      });
    }
    if (patch.isDefault === false && existing.isDefault) {
      throw new AppError('conflict', 'Make another agent the default instead of un-defaulting this one');
    }
    if (patch.tools) await assertMcpToolsKnown(tx, organizationId, patch.tools);
    if (patch.isDefault) await clearOtherDefaults(tx, organizationId, existing.id);
    if (patch.isDefaultOutbound) {
      await clearOtherDefaults(tx, organizationId, existing.id, 'isDefaultOutbound');
    }
    const [row] = await tx
      .update(agents)
      .set({ ...next, updatedAt: deps.clock() })
      .where(eq(agents.id, existing.id))
      .returning();
    return row!;
  });
}
