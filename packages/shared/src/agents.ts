import { z } from 'zod';
import { phoneSchema, timezoneSchema } from './common.ts';
import { MCP_TOOL_REF } from './mcp.ts';
import { WEEKDAYS, weeklyHoursSchema } from './organization.ts';
import { postCallSchema } from './post-call.ts';
import { PROVIDERS, VAD_TYPES } from './providers.ts';

/** Exact function names the model can call (enabled per agent through `tools`). */
export const TOOL_NAMES = [
  'create_lead',
  'check_availability',
  'book_appointment',
  'send_sms',
  'transfer_call',
  'end_call',
  'leave_voicemail',
  'search_knowledge',
  'ask_supervisor',
  'opt_out',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Most tools one agent may enable (built-in and MCP together). */
export const MAX_AGENT_TOOLS = 64;

/** An entry of an agent's `tools`: a built-in tool name or an MCP tool, `mcp:<server>:<tool>`. */
export const agentToolSchema = z.union([
  z.enum(TOOL_NAMES),
  z.string().regex(MCP_TOOL_REF, 'must be a built-in tool name or mcp:<server>:<tool>'),
]);
const agentToolsSchema = z
  .array(agentToolSchema)
  .max(MAX_AGENT_TOOLS)
  .transform((t) => [...new Set(t)]);

/**
 * What each in-call tool does, in the words a business owner would use (the dashboard's tool
 * toggles). What the model is told — description and usage hint — lives with each tool.
 */
export const TOOL_INFO: Record<ToolName, { label: string; help: string }> = {
  create_lead: {
    label: 'Save a lead',
    help: "Saves the caller's name, company and contact details as a prospect.",
  },
  check_availability: {
    label: 'Check the calendar',
    help: 'Looks up free meeting slots before offering times.',
  },
  book_appointment: { label: 'Book a meeting', help: 'Books the chosen slot and records the appointment.' },
  send_sms: { label: 'Send a text message', help: 'Texts the caller a confirmation, link or address.' },
  transfer_call: { label: 'Transfer to a person', help: 'Hands the call to the transfer number below.' },
  end_call: { label: 'Hang up', help: 'Ends the call politely once the conversation is over.' },
  leave_voicemail: {
    label: 'Leave a voicemail',
    help: 'When an answering machine picks up, leaves the voicemail message below and hangs up.',
  },
  search_knowledge: {
    label: 'Search the knowledge base',
    help: 'Looks up passages in the documents on the Knowledge tab (and the part of the company brief that does not fit the instructions).',
  },
  ask_supervisor: {
    label: 'Ask a supervisor model',
    help: 'Hands hard questions to a text model with the knowledge base, calendar and MCP tools; the agent says “Let me check” while it works.',
  },
  opt_out: {
    label: 'Honour opt-outs',
    help: 'When someone asks not to be called again, adds the number to the do-not-call list, confirms and hangs up (always on for outbound calls).',
  },
};

/** What a tool cannot work without, beyond being switched on. */
export type ToolPrerequisite = 'transfer_number' | 'twilio';

/**
 * Each tool's prerequisite and what to tell the person configuring the agent when it is
 * missing. The server does not give the model a tool whose prerequisite is missing.
 */
export const TOOL_PREREQUISITES: Partial<Record<ToolName, { needs: ToolPrerequisite; message: string }>> = {
  transfer_call: {
    needs: 'transfer_number',
    message: 'Needs a transfer number (under Transfer) to hand calls to.',
  },
  send_sms: {
    needs: 'twilio',
    message: 'Needs Twilio credentials and a number that can send text messages (Settings → Credentials).',
  },
};

/** The tools of `agent` whose prerequisite is missing, with why (empty when all can work). */
export function unmetToolPrerequisites(
  agent: { tools: readonly string[]; transferNumber: string | null },
  available: { twilio: boolean },
): Partial<Record<ToolName, string>> {
  const met: Record<ToolPrerequisite, boolean> = {
    transfer_number: !!agent.transferNumber?.trim(),
    twilio: available.twilio,
  };
  const unmet: Partial<Record<ToolName, string>> = {};
  for (const tool of agent.tools) {
    const pre = TOOL_PREREQUISITES[tool as ToolName];
    if (pre && !met[pre.needs]) unmet[tool as ToolName] = pre.message;
  }
  return unmet;
}

/** Keypad shortcuts whose tool has no target (`{ "0": "Needs a transfer number…" }`). */
export function keypadShortcutProblems(agent: {
  dtmfActions: Readonly<Record<string, string>>;
  transferNumber: string | null;
}): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [digit, tool] of Object.entries(agent.dtmfActions)) {
    const pre = TOOL_PREREQUISITES[tool as ToolName];
    if (!pre || pre.needs === 'twilio') continue;
    const unmet = unmetToolPrerequisites({ ...agent, tools: [tool] }, { twilio: true });
    if (unmet[tool as ToolName]) problems[digit] = `${TOOL_INFO[tool as ToolName].label}: ${pre.message}`;
  }
  return problems;
}

/**
 * Call-handling tuning. Each entry documents its default, unit and bounds; the dashboard
 * renders sliders from this table and the OpenAPI document includes it.
 */
export const TUNING_FIELDS = {
  vadThreshold: {
    default: 0.5,
    min: 0.1,
    max: 0.95,
    step: 0.05,
    unit: 'ratio',
    label: 'Speech detection threshold',
    help: 'How loud and clear sound must be to count as the caller speaking. Raise it in noisy places to avoid false interruptions.',
  },
  silenceDurationMs: {
    default: 500,
    min: 100,
    max: 3000,
    step: 50,
    unit: 'ms',
    label: 'End-of-turn silence',
    help: 'How long the caller must be silent before the agent answers. Shorter feels snappier; longer lets people pause.',
  },
  prefixPaddingMs: {
    default: 300,
    min: 0,
    max: 2000,
    step: 50,
    unit: 'ms',
    label: 'Speech prefix padding',
    help: 'Audio kept from just before speech was detected, so first syllables are not cut off.',
  },
  maxCallDurationS: {
    default: 1800,
    min: 30,
    max: 14400,
    step: 30,
    unit: 's',
    label: 'Maximum call length',
    help: 'The agent says goodbye and hangs up when a call reaches this length.',
  },
  silenceTimeoutS: {
    default: 30,
    min: 5,
    max: 600,
    step: 5,
    unit: 's',
    label: 'Caller silence timeout',
    help: 'If the caller says nothing for this long the agent checks in once, then hangs up after the same time again.',
  },
} as const;

export const INTERRUPTION_SENSITIVITIES = ['low', 'medium', 'high'] as const;

const numberField = (f: { min: number; max: number }) => z.number().min(f.min).max(f.max);

/** Each tuning knob without its default (see tuningSchema for the defaults). */
const tuningFields = {
  /** `server_vad` (silence-based) or `semantic_vad` (model decides when the caller finished; OpenAI only). */
  vadType: z.enum(VAD_TYPES),
  vadThreshold: numberField(TUNING_FIELDS.vadThreshold),
  silenceDurationMs: numberField(TUNING_FIELDS.silenceDurationMs).int(),
  prefixPaddingMs: numberField(TUNING_FIELDS.prefixPaddingMs).int(),
  /** How readily caller speech interrupts the agent: low ignores short sounds, high reacts at once. */
  interruptionSensitivity: z.enum(INTERRUPTION_SENSITIVITIES),
  maxCallDurationS: numberField(TUNING_FIELDS.maxCallDurationS).int(),
  silenceTimeoutS: numberField(TUNING_FIELDS.silenceTimeoutS).int(),
};

export const tuningSchema = z.strictObject({
  vadType: tuningFields.vadType.default('server_vad'),
  vadThreshold: tuningFields.vadThreshold.default(TUNING_FIELDS.vadThreshold.default),
  silenceDurationMs: tuningFields.silenceDurationMs.default(TUNING_FIELDS.silenceDurationMs.default),
  prefixPaddingMs: tuningFields.prefixPaddingMs.default(TUNING_FIELDS.prefixPaddingMs.default),
  interruptionSensitivity: tuningFields.interruptionSensitivity.default('medium'),
  maxCallDurationS: tuningFields.maxCallDurationS.default(TUNING_FIELDS.maxCallDurationS.default),
  silenceTimeoutS: tuningFields.silenceTimeoutS.default(TUNING_FIELDS.silenceTimeoutS.default),
});
/**
 * Some tuning fields, as sent by create/update: absent fields stay absent (the server merges
 * them over the stored tuning and DEFAULT_TUNING). Not `tuningSchema.partial()`: zod 4 would
 * fill the absent fields with their defaults and a PATCH would reset them.
 */
export const tuningPatchSchema = z.strictObject(tuningFields).partial();
export type Tuning = z.infer<typeof tuningSchema>;
export const DEFAULT_TUNING: Tuning = tuningSchema.parse({});

const text = (max: number) => z.string().max(max);

/**
 * An inbound caller is matched by caller ID alone, which can be spoofed: `limited` (default)
 * leaves their email, notes and past call summaries out of what the model is told; `full`
 * includes them (still marked unverified).
 */
export const CALLER_CONTEXT_MODES = ['limited', 'full'] as const;
export type CallerContextMode = (typeof CALLER_CONTEXT_MODES)[number];
/** Whom send_sms may text: the call's other party only (default), or any number. */
export const SMS_RECIPIENT_MODES = ['caller', 'any'] as const;
export type SmsRecipientMode = (typeof SMS_RECIPIENT_MODES)[number];

export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The default inbound agent: answers calls to numbers that name no agent (exactly one). */
  isDefault: z.boolean(),
  /** Places outbound calls and campaigns that name no agent (at most one; none: the inbound default). */
  isDefaultOutbound: z.boolean(),
  provider: z.enum(PROVIDERS),
  model: z.string(),
  voice: z.string(),
  language: z.string(),
  timezone: z.string().nullable(),
  /** The agent's own weekly hours; null follows the business profile's. */
  businessHours: z.record(z.enum(WEEKDAYS), z.array(z.tuple([z.string(), z.string()]))).nullable(),
  instructions: z.string(),
  greeting: z.string(),
  companyBrief: z.string(),
  tools: z.array(z.string()),
  transferNumber: z.string().nullable(),
  transferMode: z.enum(['cold', 'warm']),
  voicemailMessage: z.string(),
  tuning: tuningSchema,
  dtmfActions: z.record(z.string(), z.string()),
  /** After-call analysis: summary on/off and the fields to extract (docs/post-call.md). */
  postCall: postCallSchema,
  /** The server records the call (two channels) and the greeting says so (docs/post-call.md#recording). */
  recording: z.enum(['on', 'off']),
  /** What the model hears about an unverified inbound caller (docs/security.md#caller-trust). */
  callerContext: z.enum(CALLER_CONTEXT_MODES),
  /** Whom send_sms may text: the caller's own number only, or any number. */
  smsRecipients: z.enum(SMS_RECIPIENT_MODES),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Agent = z.infer<typeof agentSchema>;

const dtmfActionsSchema = z
  .record(z.string().regex(/^[0-9*#]$/, 'keys must be a single DTMF digit (0-9, * or #)'), z.enum(TOOL_NAMES))
  .refine((v) => Object.keys(v).length <= 12, 'at most 12 digit actions');

export const createAgentSchema = z.strictObject({
  name: text(100).min(1, 'is required'),
  isDefault: z.boolean().default(false),
  isDefaultOutbound: z.boolean().default(false),
  provider: z.enum(PROVIDERS).default('openai'),
  model: text(100).min(1).optional(),
  voice: text(50).min(1).optional(),
  language: text(35).min(2).default('en-US'),
  timezone: timezoneSchema.nullable().optional(),
  businessHours: weeklyHoursSchema.nullable().optional(),
  instructions: text(20_000).default(''),
  greeting: text(2_000).default(''),
  companyBrief: text(20_000).default(''),
  tools: agentToolsSchema.default([]),
  transferNumber: phoneSchema.nullable().optional(),
  transferMode: z.enum(['cold', 'warm']).default('cold'),
  voicemailMessage: text(2_000).default(''),
  tuning: tuningPatchSchema.default({}),
  dtmfActions: dtmfActionsSchema.default({}),
  postCall: postCallSchema.default({ summary: true, extraction: [] }),
  recording: z.enum(['on', 'off']).default('off'),
  callerContext: z.enum(CALLER_CONTEXT_MODES).default('limited'),
  smsRecipients: z.enum(SMS_RECIPIENT_MODES).default('caller'),
});
export type CreateAgent = z.input<typeof createAgentSchema>;

export const updateAgentSchema = z
  .strictObject({
    name: text(100).min(1),
    isDefault: z.boolean(),
    isDefaultOutbound: z.boolean(),
    provider: z.enum(PROVIDERS),
    model: text(100).min(1),
    voice: text(50).min(1),
    language: text(35).min(2),
    timezone: timezoneSchema.nullable(),
    businessHours: weeklyHoursSchema.nullable(),
    instructions: text(20_000),
    greeting: text(2_000),
    companyBrief: text(20_000),
    tools: agentToolsSchema,
    transferNumber: phoneSchema.nullable(),
    transferMode: z.enum(['cold', 'warm']),
    voicemailMessage: text(2_000),
    tuning: tuningPatchSchema,
    dtmfActions: dtmfActionsSchema,
    postCall: postCallSchema,
    recording: z.enum(['on', 'off']),
    callerContext: z.enum(CALLER_CONTEXT_MODES),
    smsRecipients: z.enum(SMS_RECIPIENT_MODES),
  })
  .partial();
export type UpdateAgent = z.input<typeof updateAgentSchema>;
