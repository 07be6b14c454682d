/** Campaign CRUD and its status transitions (start, pause, resume, stop), scoped to one organization. */
import { agents, campaignProspects, campaigns, organizations } from '@switchboard/db';
import type { CreateCampaign, UpdateCampaign } from '@switchboard/shared';
import { and, desc, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { AppError, notFound, validationFailed } from '../errors.ts';
import type { IntegrationDeps } from '../integrations/settings.ts';
import { OUTBOUND_AGENT_ORDER } from '../services/agent-rules.ts';
import { resolveCredentials } from '../services/resolve-credentials.ts';
import { type CampaignRow, readSettings, SETTING_KEYS } from './settings.ts';

type Scope = { organizationId: string };

export async function getCampaign(deps: ServiceDeps, input: Scope & { id: string }): Promise<CampaignRow> {
  const [row] = await deps.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.organizationId, input.organizationId), eq(campaigns.id, input.id)))
    .limit(1);
  if (!row) throw notFound('campaign');
  return row;
}

export async function listCampaigns(
  deps: ServiceDeps,
  input: Scope & { limit: number; offset: number },
): Promise<{ items: CampaignRow[]; total: number }> {
  const where = eq(campaigns.organizationId, input.organizationId);
  const [items, total] = await Promise.all([
    deps.db
      .select()
      .from(campaigns)
      .where(where)
      .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
      .limit(input.limit)
      .offset(input.offset),
    deps.db.$count(campaigns, where),
  ]);
  return { items, total };
}

async function checkAgent(deps: ServiceDeps, organizationId: string, agentId: string | undefined) {
  const [agent] = await deps.db
    .select({ id: agents.id })
    .from(agents)
    .where(
      agentId
        ? and(eq(agents.organizationId, organizationId), eq(agents.id, agentId))
        : eq(agents.organizationId, organizationId),
    )
    // Without an agent named: the default outbound agent, else the default (inbound) agent.
    .orderBy(...OUTBOUND_AGENT_ORDER)
    .limit(1);
  if (!agent && agentId)
    throw validationFailed([{ path: 'agentId', message: 'no such agent in this organization' }]);
  return agent?.id ?? null;
}

function pickSettings(data: UpdateCampaign): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (data[key] !== undefined) out[key] = data[key];
  return out;
}

export async function createCampaign(
  deps: ServiceDeps,
  input: Scope & { data: CreateCampaign },
): Promise<CampaignRow> {
  const agentId = await checkAgent(deps, input.organizationId, input.data.agentId);
  const [org] = await deps.db
    .select({ timezone: organizations.timezone })
    .from(organizations)
    .where(eq(organizations.id, input.organizationId));
  const settings = { defaultTimezone: org?.timezone ?? 'UTC', ...pickSettings(input.data) };
  const [row] = await deps.db
    .insert(campaigns)
    .values({ organizationId: input.organizationId, name: input.data.name, agentId, settings })
    .returning();
  return row!;
}

export async function updateCampaign(
  deps: ServiceDeps,
  input: Scope & { id: string; data: UpdateCampaign },
): Promise<CampaignRow> {
  const current = await getCampaign(deps, input);
  if (current.status === 'completed' || current.status === 'stopped')
    throw new AppError('conflict', `A ${current.status} campaign cannot be changed.`);
  const agentId =
    input.data.agentId !== undefined
      ? await checkAgent(deps, input.organizationId, input.data.agentId)
      : undefined;
  const settings = { ...readSettings(current), ...pickSettings(input.data) };
  const [row] = await deps.db
    .update(campaigns)
    .set({
      ...(input.data.name !== undefined ? { name: input.data.name } : {}),
      ...(agentId !== undefined ? { agentId } : {}),
      settings,
      updatedAt: deps.clock(),
    })
    .where(and(eq(campaigns.organizationId, input.organizationId), eq(campaigns.id, input.id)))
    .returning();
  return row!;
}

export async function deleteCampaign(deps: ServiceDeps, input: Scope & { id: string }): Promise<void> {
  const current = await getCampaign(deps, input);
  if (current.status === 'running')
    throw new AppError('conflict', 'The campaign is running: pause or stop it before deleting it.', {
      status: current.status,
    });
  await deps.db
    .delete(campaigns)
    .where(and(eq(campaigns.organizationId, input.organizationId), eq(campaigns.id, input.id)));
}

export type CampaignAction = 'start' | 'pause' | 'resume' | 'stop';

const ALLOWED: Record<CampaignAction, CampaignRow['status'][]> = {
  start: ['draft'],
  pause: ['running'],
  resume: ['paused'],
  stop: ['draft', 'running', 'paused'],
};

export async function transitionCampaign(
  deps: ServiceDeps & Omit<IntegrationDeps, 'db' | 'log'>,
  input: Scope & { id: string; action: CampaignAction },
): Promise<CampaignRow> {
  const current = await getCampaign(deps, input);
  if (!ALLOWED[input.action].includes(current.status))
    throw new AppError('conflict', `Cannot ${input.action} a ${current.status} campaign.`, {
      status: current.status,
    });
  const now = deps.clock();
  let set: Partial<CampaignRow>;
  if (input.action === 'start' || input.action === 'resume') {
    if (input.action === 'start') await checkStartable(deps, input.organizationId, current);
    set = {
      status: 'running',
      pausedReason: null,
      consecutiveFailures: 0,
      startedAt: current.startedAt ?? now,
    };
  } else if (input.action === 'pause') {
    set = { status: 'paused', pausedReason: null };
  } else {
    set = { status: 'stopped', completedAt: now };
  }
  const [row] = await deps.db
    .update(campaigns)
    .set({ ...set, updatedAt: now })
    .where(
      and(
        eq(campaigns.organizationId, input.organizationId),
        eq(campaigns.id, input.id),
        eq(campaigns.status, current.status),
      ),
    )
    .returning();
  if (!row) throw new AppError('conflict', 'The campaign changed meanwhile; try again.');
  return row;
}

async function checkStartable(
  deps: ServiceDeps & Omit<IntegrationDeps, 'db' | 'log'>,
  organizationId: string,
  campaign: CampaignRow,
): Promise<void> {
  const audience = await deps.db.$count(
    campaignProspects,
    and(eq(campaignProspects.organizationId, organizationId), eq(campaignProspects.campaignId, campaign.id)),
  );
  if (audience === 0)
    throw validationFailed([
      { path: 'prospects', message: 'the campaign has no audience: add prospects first' },
    ]);
  if (!campaign.agentId)
    throw validationFailed([{ path: 'agentId', message: 'the campaign needs an agent to place its calls' }]);
  if (!deps.config.publicUrl)
    throw validationFailed([
      { path: 'publicUrl', message: 'set PUBLIC_URL so Twilio can reach the server during campaign calls' },
    ]);
  const { twilio } = await resolveCredentials(deps, organizationId);
  if (!twilio)
    throw validationFailed([
      { path: 'twilio', message: 'Twilio is not configured: add the Twilio integration to place calls' },
    ]);
}
