import { agents } from '@switchboard/db';
import { type createAgentSchema, DEFAULT_MODELS, DEFAULT_TUNING, DEFAULT_VOICES } from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';
import { lockOrganization } from '../sql.ts';
import {
  assertAgentCoherent,
  assertKeypadTargets,
  assertMcpToolsKnown,
  clearOtherDefaults,
} from './agent-rules.ts';

export type CreateAgentData = z.output<typeof createAgentSchema>;

/**
 * Creates an agent. Model and voice default from the provider, tuning is merged over
 * DEFAULT_TUNING, and the organization's first agent (or one created with isDefault) becomes
 * the default, replacing the previous one. `isDefaultOutbound` likewise replaces the previous
 * default outbound agent (none is made by default: outbound falls back to the default agent).
 */
export async function createAgent(
  deps: ServiceDeps,
  input: { organizationId: string; data: CreateAgentData },
): Promise<AgentRow> {
  const { data, organizationId } = input;
  const values = {
    ...data,
    organizationId,
    model: data.model ?? DEFAULT_MODELS[data.provider],
    voice: data.voice ?? DEFAULT_VOICES[data.provider],
    timezone: data.timezone ?? null,
    businessHours: data.businessHours ?? null,
    transferNumber: data.transferNumber ?? null,
    tuning: { ...DEFAULT_TUNING, ...data.tuning },
  };
  assertAgentCoherent(values);
  assertKeypadTargets(values);
  return deps.db.transaction(async (tx) => {
    await lockOrganization(tx, organizationId);
    await assertMcpToolsKnown(tx, organizationId, values.tools);
    const isFirst = (await tx.$count(agents, eq(agents.organizationId, organizationId))) === 0;
    const isDefault = data.isDefault || isFirst;
    if (isDefault) await clearOtherDefaults(tx, organizationId);
    if (data.isDefaultOutbound) await clearOtherDefaults(tx, organizationId, undefined, 'isDefaultOutbound');
    const [row] = await tx
      .insert(agents)
      .values({ ...values, isDefault })
      .returning();
    return row!;
  });
}
