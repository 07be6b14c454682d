/**
 * Step 2 of a call: everything its `CallSession` needs, loaded once the stream is admitted and
 * complete before the session is built — the agent (script, voice, tuning, tools, provider),
 * what we know about the caller, the organization's model key, the model adapter, how the call
 * opens (the greeting; the apology of a stream resumed after a transfer; the answering-machine
 * wait of an outbound call) and the DTMF shortcuts. Nothing changes the setup afterwards.
 */

import {
  agentVariableValues,
  type CallEndReason,
  DEFAULT_TUNING,
  fillAgentVariables,
  type Provider,
  unmetToolPrerequisites,
} from '@switchboard/shared';
import {
  type CallSetup,
  composeInstructions,
  createRealtimeModel,
  type RealtimeModel,
  type ToolRegistry,
} from '@switchboard/voice';
import type { CallRecorder } from '../call-record/recorder.ts';
import type { AppContext } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';
import { mcpToolsForCall } from '../mcp/call-tools.ts';
import { announceRecording } from '../recordings/notice.ts';
import { resolveCredentials } from '../services/resolve-credentials.ts';
import type { CallToolContext } from '../tools/context.ts';
import { callerContext, loadAgent, loadBusiness } from './call-context.ts';
import { dtmfActionsFor } from './dtmf-actions.ts';
import { type ResumeAfterTransfer, resumeGreeting } from './resume-after-transfer.ts';
import { voicemailMessage } from './voicemail.ts';

type Ctx = Pick<AppContext, 'db' | 'config' | 'secrets' | 'log' | 'clock'>;

/** A call ready to run. */
export interface CallPlan {
  setup: CallSetup<CallToolContext>;
  agent: AgentRow;
  /** Outbound: the greeting waits for the answering-machine result (outbound-opening.ts). */
  opening: { greeting: string; answeredBy: string | null } | null;
  /** What the agent says on an answering machine. */
  voicemailMessage: string;
  /** Set when the stream resumes a call after an unanswered transfer. */
  resumed: ResumeAfterTransfer | null;
}

export type LoadedSetup =
  | { ok: true; plan: CallPlan }
  /** `message` is safe to show (e.g. "no openai API key is configured"). */
  | { ok: false; reason: CallEndReason; message: string };

/**
 * The realtime adapter for a provider, pointed at the configured endpoint. `resilience: false`
 * for one-shot sessions (a voice preview) that must not reconnect.
 */
export function realtimeModelFor(
  ctx: Pick<AppContext, 'config' | 'log'>,
  provider: Provider,
  options: { resilience?: false } = {},
): RealtimeModel {
  const endpoints: Record<Provider, string> = {
    openai: ctx.config.openai.realtimeUrl,
    gemini: ctx.config.gemini.baseUrl,
  };
  return createRealtimeModel(provider, { url: endpoints[provider], logger: ctx.log, ...options });
}

export async function loadCallSetup(
  ctx: Ctx,
  admitted: { call: CallRow; record: CallRecorder },
  options: { tools: ToolRegistry<CallToolContext>; resume: ResumeAfterTransfer | null },
): Promise<LoadedSetup> {
  const { call, record } = admitted;
  try {
    const agent = await loadAgent(ctx.db, call);
    if (!agent) return { ok: false, reason: 'no_agent', message: 'the call has no agent' };
    const credentials = await resolveCredentials(ctx, call.organizationId);
    const apiKey = credentials[agent.provider]?.apiKey;
    if (!apiKey) {
      return { ok: false, reason: 'no_credentials', message: `no ${agent.provider} API key is configured` };
    }
    const org = await loadBusiness(ctx.db, call.organizationId);
    const timeZone = agent.timezone ?? org?.timezone ?? 'UTC';
    const caller = await callerContext(ctx.db, call, agent.callerContext);
    // {{business.name}}, {{agent.name}}, {{prospect.contact}}, {{prospect.company}} in the script.
    const values = agentVariableValues({
      businessName: org?.name,
      agentName: agent.name,
      person: caller && { contact: caller.name, company: caller.company },
    });
    const fill = (text: string) => fillAgentVariables(text, values);
    const tuning = { ...DEFAULT_TUNING, ...agent.tuning };
    // A tool whose prerequisite is missing (transfer with no number…) is not offered to the model.
    const unmet = unmetToolPrerequisites(agent, { twilio: !!credentials.twilio });
    const offered = agent.tools.filter((name) => !(name in unmet));
    // Outbound calls always honour an opt-out (compliance, docs/campaigns.md).
    const tools =
      call.direction === 'outbound' && !offered.includes('opt_out') ? [...offered, 'opt_out'] : offered;
    // The agent's MCP tools become this call's own tools, named for the model (mcp/call-tools.ts).
    const mcp = await mcpToolsForCall(ctx, { organizationId: call.organizationId, tools });
    const toolContext = { ...toolContextFor(call, agent, timeZone, record), callTools: mcp.callTools };
    const { resume } = options;
    // A resumed stream opens with an apology; an outbound call waits for AMD before greeting.
    const outbound = call.direction === 'outbound' && !resume;
    const setup: CallSetup<CallToolContext> = {
      model: realtimeModelFor(ctx, agent.provider),
      session: {
        model: agent.model,
        voice: agent.voice,
        language: agent.language,
        instructions: composeInstructions({
          agentInstructions: fill(agent.instructions),
          agentName: agent.name,
          companyBrief: agent.companyBrief,
          direction: call.direction === 'outbound' ? 'outbound' : 'inbound',
          ...(caller ? { caller } : {}),
          now: ctx.clock(),
          timeZone,
          language: agent.language,
          tools,
          toolHints: options.tools.hints(tools),
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
      // The caller was just returned from a transfer: the model does not offer another one.
      enabledTools: resume ? mcp.enabledTools.filter((name) => name !== 'transfer_call') : mcp.enabledTools,
      greeting: resume
        ? resumeGreeting(resume)
        : outbound
          ? ''
          : announceRecording(fill(agent.greeting), agent.recording),
      dtmfActions: dtmfActionsFor(agent.dtmfActions, tools, { tools: options.tools, recorder: record }),
      maxDurationMs: tuning.maxCallDurationS * 1000,
      silenceTimeoutMs: tuning.silenceTimeoutS * 1000,
      toolContext,
    };
    return {
      ok: true,
      plan: {
        setup,
        agent,
        opening: outbound
          ? {
              greeting: announceRecording(fill(agent.greeting), agent.recording),
              answeredBy: call.answeredBy,
            }
          : null,
        voicemailMessage: voicemailMessage(agent, toolContext.ourNumber),
        resumed: resume,
      },
    };
  } catch (error) {
    ctx.log.error({ err: error, callId: call.id }, 'call setup failed');
    return { ok: false, reason: 'setup_failed', message: 'could not load the call setup' };
  }
}

function toolContextFor(
  call: CallRow,
  agent: AgentRow,
  timeZone: string,
  recorder: CallRecorder,
): CallToolContext {
  // A browser test call has no phone numbers: its row's from/to are labels ('browser', the agent).
  const web = call.direction === 'web';
  const inbound = call.direction === 'inbound';
  return {
    organizationId: call.organizationId,
    callId: call.id,
    agentId: agent.id,
    prospect: { id: call.prospectId },
    direction: call.direction,
    callerNumber: web ? '' : inbound ? call.from : call.to,
    ourNumber: web ? '' : inbound ? call.to : call.from,
    smsRecipients: agent.smsRecipients,
    providerCallSid: call.providerCallSid,
    timeZone,
    recorder,
  };
}
