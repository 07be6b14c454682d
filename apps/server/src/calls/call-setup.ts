/**
 * Everything a CallSession needs for one call, resolved from the database: the agent (script,
 * voice, tuning, tools, provider), what we know about the caller, the organization's model
 * credentials and the adapter for the agent's provider.
 */
import { agents, calls, type DbOrTx, organizations, prospects } from '@switchboard/db';
import { DEFAULT_TUNING, type Provider } from '@switchboard/shared';
import {
  type CallSetup,
  composeInstructions,
  createRealtimeModel,
  type RealtimeModel,
  type ToolRegistry,
} from '@switchboard/voice';
import { and, desc, eq, ne } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';
import { resolveCredentials } from '../services/resolve-credentials.ts';
import type { CallToolContext } from '../tools/context.ts';
import { dtmfActionsFor } from './dtmf-actions.ts';
import type { CallRecorder } from './recorder.ts';

type Ctx = Pick<AppContext, 'db' | 'config' | 'secrets' | 'log' | 'clock'>;

export class CallSetupError extends Error {
  readonly reason: 'no_agent' | 'no_credentials';
  constructor(reason: 'no_agent' | 'no_credentials', message: string) {
    super(message);
    this.reason = reason;
  }
}

/** The realtime adapter for a provider, pointed at the configured endpoint. */
export function realtimeModelFor(ctx: Pick<AppContext, 'config' | 'log'>, provider: Provider): RealtimeModel {
  const endpoints: Record<Provider, string> = {
    openai: ctx.config.openai.realtimeUrl,
    gemini: ctx.config.gemini.baseUrl,
  };
  return createRealtimeModel(provider, { url: endpoints[provider], logger: ctx.log });
}

export async function loadAgent(db: DbOrTx, call: CallRow): Promise<AgentRow | null> {
  if (!call.agentId) return null;
  const [agent] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.organizationId, call.organizationId), eq(agents.id, call.agentId)))
    .limit(1);
  return agent ?? null;
}

export interface ResolvedCall {
  setup: CallSetup<CallToolContext>;
  agent: AgentRow;
}

/** What DTMF shortcuts need (calls/dtmf-actions.ts); without it keys only reach the model. */
export interface CallSetupOptions {
  tools?: ToolRegistry<CallToolContext>;
  /** Aborted when the call ends. */
  signal?: AbortSignal;
  /** CallSession.say, to explain a failed shortcut. */
  say?: (instructions: string) => Promise<unknown>;
}

export async function buildCallSetup(
  ctx: Ctx,
  call: CallRow,
  recorder: CallRecorder,
  options: CallSetupOptions = {},
): Promise<ResolvedCall> {
  const agent = await loadAgent(ctx.db, call);
  if (!agent) throw new CallSetupError('no_agent', 'the call has no agent');
  const credentials = await resolveCredentials(ctx, call.organizationId);
  const apiKey = credentials[agent.provider]?.apiKey;
  if (!apiKey) throw new CallSetupError('no_credentials', `no ${agent.provider} API key is configured`);

  const [org] = await ctx.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, call.organizationId))
    .limit(1);
  const timeZone = agent.timezone ?? org?.timezone ?? 'UTC';
  const caller = await callerContext(ctx.db, call);
  const tuning = { ...DEFAULT_TUNING, ...agent.tuning };
  // A browser test call has no phone numbers: its row's from/to are labels ('browser', the agent).
  const web = call.direction === 'web';
  const ourNumber = web ? '' : call.direction === 'inbound' ? call.to : call.from;
  const callerNumber = web ? '' : call.direction === 'inbound' ? call.from : call.to;

  const setup: CallSetup<CallToolContext> = {
    model: realtimeModelFor(ctx, agent.provider),
    session: {
      model: agent.model,
      voice: agent.voice,
      language: agent.language,
      instructions: composeInstructions({
        agentInstructions: agent.instructions,
        agentName: agent.name,
        companyBrief: agent.companyBrief,
        direction: call.direction === 'outbound' ? 'outbound' : 'inbound',
        ...(caller ? { caller } : {}),
        now: ctx.clock(),
        timeZone,
        language: agent.language,
        tools: agent.tools,
      }),
      tuning: {
        vadType: tuning.vadType,
        vadThreshold: tuning.vadThreshold,
        silenceDurationMs: tuning.silenceDurationMs,
        prefixPaddingMs: tuning.prefixPaddingMs,
        interruptionSensitivity: tuning.interruptionSensitivity,
      },
      credentials: { apiKey },
    },
    enabledTools: agent.tools,
    greeting: agent.greeting,
    ...(options.tools
      ? {
          dtmfActions: dtmfActionsFor(agent.dtmfActions, agent.tools, {
            tools: options.tools,
            recorder,
            signal: options.signal ?? new AbortController().signal,
            ...(options.say ? { say: options.say } : {}),
          }),
        }
      : {}),
    maxDurationMs: tuning.maxCallDurationS * 1000,
    silenceTimeoutMs: tuning.silenceTimeoutS * 1000,
    toolContext: {
      organizationId: call.organizationId,
      callId: call.id,
      agentId: agent.id,
      prospect: { id: call.prospectId },
      direction: call.direction,
      callerNumber,
      ourNumber,
      providerCallSid: call.providerCallSid,
      timeZone,
      recorder,
    },
  };
  return { setup, agent };
}

/** What the CRM knows about the other party: the prospect and their last calls. */
async function callerContext(db: DbOrTx, call: CallRow) {
  if (!call.prospectId) return null;
  const [prospect] = await db
    .select()
    .from(prospects)
    .where(and(eq(prospects.organizationId, call.organizationId), eq(prospects.id, call.prospectId)))
    .limit(1);
  if (!prospect) return null;
  const previous = await db
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.organizationId, call.organizationId),
        eq(calls.prospectId, prospect.id),
        ne(calls.id, call.id),
      ),
    )
    .orderBy(desc(calls.createdAt))
    .limit(5);
  return {
    name: prospect.contact,
    company: prospect.company,
    ...(prospect.email ? { email: prospect.email } : {}),
    status: prospect.status,
    notes: prospect.notes,
    previousCalls: previous.map((c) => ({
      at: c.createdAt,
      direction: c.direction === 'outbound' ? ('outbound' as const) : ('inbound' as const),
      ...(c.disposition ? { disposition: c.disposition } : {}),
      ...(c.summary ? { summary: c.summary } : {}),
    })),
  };
}
