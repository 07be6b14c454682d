/**
 * What a website chat needs to answer, loaded once when its socket opens: the agent (same
 * instructions, company brief, tools and MCP tools as on the phone), the text model
 * (`resolveTextModel`), and the tool context the call tools run with — so `create_lead`,
 * `check_availability`, `book_appointment`, `search_knowledge`… behave as in a call and land on
 * the conversation's timeline.
 */
import { organizations } from '@switchboard/db';
import { agentVariableValues, fillAgentVariables } from '@switchboard/shared';
import { composeInstructions, type ToolRegistry } from '@switchboard/voice';
import { eq } from 'drizzle-orm';
import type { CallRecorder } from '../call-record/recorder.ts';
import { loadAgent } from '../calls/call-context.ts';
import type { AppContext } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';
import { mcpToolsForCall } from '../mcp/call-tools.ts';
import { type ResolvedTextModel, resolveTextModel } from '../text/resolve-text-model.ts';
import type { CallToolContext } from '../tools/context.ts';

/** Tools that only make sense on a phone line. */
const PHONE_ONLY = new Set(['transfer_call', 'leave_voicemail']);

const CHAT_RULES = [
  'This conversation is a written chat on the company website, not a phone call: the rules about speaking above do not apply.',
  'Write short, friendly plain-text messages (one to four sentences); no markdown headings or tables.',
  "You do not know the visitor's phone number or email: ask for them when a tool needs them.",
];

/** The studio's text test chat: a phone agent tried in writing by its own team. */
const TEST_RULES = [
  'This conversation is a written test of you in the dashboard by your own team, not a phone call: answer in short plain-text messages with what you would say on the call.',
  'Run your tools as you would on a call when the conversation needs them.',
];

export interface ChatPlanOptions {
  /** Which rules follow the agent's: the website widget's (default) or the studio's test chat. */
  surface?: 'website' | 'test';
  /** Values of {{prospect.contact}} and {{prospect.company}} (the test chat's samples). */
  prospect?: { contact: string; company: string };
}

export interface ChatPlan {
  agent: AgentRow;
  text: ResolvedTextModel;
  instructions: string;
  tools: string[];
  context: CallToolContext;
}

export type LoadedChat = { ok: true; plan: ChatPlan } | { ok: false; message: string };

type Ctx = Pick<AppContext, 'db' | 'config' | 'secrets' | 'log' | 'clock'>;

export async function loadChatPlan(
  ctx: Ctx,
  call: CallRow,
  recorder: CallRecorder,
  registry: ToolRegistry<CallToolContext>,
  options: ChatPlanOptions = {},
): Promise<LoadedChat> {
  const agent = await loadAgent(ctx.db, call);
  if (!agent) return { ok: false, message: 'This assistant is not available.' };
  const text = await resolveTextModel(ctx, call.organizationId);
  if (!text) return { ok: false, message: 'This assistant is not available right now.' };
  const [org] = await ctx.db
    .select({ timezone: organizations.timezone, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, call.organizationId))
    .limit(1);
  const timeZone = agent.timezone ?? org?.timezone ?? 'UTC';
  const builtins = agent.tools.filter((name) => !PHONE_ONLY.has(name));
  const mcp = await mcpToolsForCall(ctx, { organizationId: call.organizationId, tools: builtins });
  // {{business.name}}, {{agent.name}}, {{prospect.*}} as on a call (load-call-setup.ts).
  const agentInstructions = fillAgentVariables(
    agent.instructions,
    agentVariableValues({ businessName: org?.name, agentName: agent.name, person: options.prospect }),
  );
  const [title, rules] =
    options.surface === 'test' ? ['Test chat', TEST_RULES] : ['Website chat', CHAT_RULES];
  const instructions = [
    composeInstructions({
      agentInstructions,
      agentName: agent.name,
      companyBrief: agent.companyBrief,
      now: ctx.clock(),
      timeZone,
      language: agent.language,
      tools: builtins,
      toolHints: registry.hints(builtins),
    }),
    `# ${title}\n${rules.map((rule) => `- ${rule}`).join('\n')}`,
  ].join('\n\n');
  return {
    ok: true,
    plan: {
      agent,
      text,
      instructions,
      tools: mcp.enabledTools,
      context: {
        organizationId: call.organizationId,
        callId: call.id,
        agentId: agent.id,
        prospect: { id: call.prospectId },
        direction: 'web',
        callerNumber: '',
        ourNumber: '',
        smsRecipients: agent.smsRecipients,
        providerCallSid: null,
        timeZone,
        recorder,
        callTools: mcp.callTools,
      },
    },
  };
}

/**
 * The first message of a chat (website or test): loads the plan for the stored call, fails the
 * call when the agent cannot answer (no agent, no text model), else marks it answered and tells
 * the client the conversation started. What `ChatConversation`'s `begin` returns.
 */
export async function beginChat(
  ctx: Ctx,
  call: CallRow,
  recorder: CallRecorder,
  registry: ToolRegistry<CallToolContext>,
  started: (conversationId: string) => void,
  options: ChatPlanOptions = {},
): Promise<{ ok: true; recorder: CallRecorder; plan: ChatPlan } | { ok: false; message: string }> {
  const loaded = await loadChatPlan(ctx, call, recorder, registry, options);
  if (!loaded.ok) {
    await recorder.fail('setup_failed', loaded.message);
    return { ok: false, message: loaded.message };
  }
  recorder.answered();
  started(call.id);
  return { ok: true, recorder, plan: loaded.plan };
}
