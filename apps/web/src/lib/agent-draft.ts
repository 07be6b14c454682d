import {
  type Agent,
  type PostCall,
  PROVIDER_FACTS,
  PROVIDERS,
  type ToolName,
  type Tuning,
  type UpdateAgent,
  type WeeklyHours,
} from '@switchboard/shared';

/** The agent studio's form state: strings for inputs, `''` where the API uses null. */
export interface AgentDraft {
  name: string;
  isDefault: boolean;
  isDefaultOutbound: boolean;
  provider: Agent['provider'];
  model: string;
  voice: string;
  language: string;
  timezone: string;
  /** The agent's own weekly hours; null follows the business profile. */
  businessHours: WeeklyHours | null;
  instructions: string;
  greeting: string;
  companyBrief: string;
  /** Built-in tool names and MCP tools (`mcp:<server>:<tool>`). */
  tools: string[];
  transferNumber: string;
  transferMode: Agent['transferMode'];
  voicemailMessage: string;
  tuning: Tuning;
  dtmfActions: Record<string, ToolName>;
  postCall: PostCall;
  recording: Agent['recording'];
  callerContext: Agent['callerContext'];
  smsRecipients: Agent['smsRecipients'];
}

export function toDraft(a: Agent): AgentDraft {
  return {
    name: a.name,
    isDefault: a.isDefault,
    isDefaultOutbound: a.isDefaultOutbound,
    provider: a.provider,
    model: a.model,
    voice: a.voice,
    language: a.language,
    timezone: a.timezone ?? '',
    businessHours: a.businessHours ? (structuredClone(a.businessHours) as WeeklyHours) : null,
    instructions: a.instructions,
    greeting: a.greeting,
    companyBrief: a.companyBrief,
    tools: [...a.tools],
    transferNumber: a.transferNumber ?? '',
    transferMode: a.transferMode,
    voicemailMessage: a.voicemailMessage,
    tuning: { ...a.tuning },
    dtmfActions: { ...(a.dtmfActions as Record<string, ToolName>) },
    postCall: structuredClone(a.postCall),
    recording: a.recording,
    callerContext: a.callerContext,
    smsRecipients: a.smsRecipients,
  };
}

/** The PATCH body: every editable field, in a stable order so drafts compare by JSON. */
export function toPatch(d: AgentDraft): UpdateAgent {
  return {
    name: d.name.trim(),
    isDefault: d.isDefault,
    isDefaultOutbound: d.isDefaultOutbound,
    provider: d.provider,
    model: d.model.trim(),
    voice: d.voice,
    language: d.language.trim(),
    timezone: d.timezone.trim() || null,
    businessHours: d.businessHours,
    instructions: d.instructions,
    greeting: d.greeting,
    companyBrief: d.companyBrief,
    tools: [...d.tools].sort(),
    transferNumber: d.transferNumber.trim() || null,
    transferMode: d.transferMode,
    voicemailMessage: d.voicemailMessage,
    tuning: d.tuning,
    dtmfActions: Object.fromEntries(Object.entries(d.dtmfActions).sort(([a], [b]) => a.localeCompare(b))),
    postCall: d.postCall,
    recording: d.recording,
    callerContext: d.callerContext,
    smsRecipients: d.smsRecipients,
  };
}

export function isDirty(draft: AgentDraft, saved: Agent): boolean {
  return JSON.stringify(toPatch(draft)) !== JSON.stringify(toPatch(toDraft(saved)));
}

/**
 * Switching provider keeps the model, voice and turn detection when they are valid for the new
 * provider and otherwise picks that provider's defaults (`PROVIDER_FACTS`).
 */
export function switchProvider(d: AgentDraft, provider: Agent['provider']): AgentDraft {
  if (provider === d.provider) return d;
  const facts = PROVIDER_FACTS[provider];
  const usedDefaultModel =
    PROVIDERS.some((p) => PROVIDER_FACTS[p].defaultModel === d.model) || d.model === '';
  const vadOk = facts.vadTypes.includes(d.tuning.vadType);
  return {
    ...d,
    provider,
    model: usedDefaultModel ? facts.defaultModel : d.model,
    voice: facts.voices.includes(d.voice) ? d.voice : facts.defaultVoice,
    tuning: vadOk ? d.tuning : { ...d.tuning, vadType: facts.vadTypes[0] ?? 'server_vad' },
  };
}
