import type { Agent, ToolName, Tuning, UpdateAgent } from '@switchboard/shared';

/** The agent studio's form state: strings for inputs, `''` where the API uses null. */
export interface AgentDraft {
  name: string;
  isDefault: boolean;
  provider: Agent['provider'];
  model: string;
  voice: string;
  language: string;
  timezone: string;
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
}

export function toDraft(a: Agent): AgentDraft {
  return {
    name: a.name,
    isDefault: a.isDefault,
    provider: a.provider,
    model: a.model,
    voice: a.voice,
    language: a.language,
    timezone: a.timezone ?? '',
    instructions: a.instructions,
    greeting: a.greeting,
    companyBrief: a.companyBrief,
    tools: [...a.tools],
    transferNumber: a.transferNumber ?? '',
    transferMode: a.transferMode,
    voicemailMessage: a.voicemailMessage,
    tuning: { ...a.tuning },
    dtmfActions: { ...(a.dtmfActions as Record<string, ToolName>) },
  };
}

/** The PATCH body: every editable field, in a stable order so drafts compare by JSON. */
export function toPatch(d: AgentDraft): UpdateAgent {
  return {
    name: d.name.trim(),
    isDefault: d.isDefault,
    provider: d.provider,
    model: d.model.trim(),
    voice: d.voice,
    language: d.language.trim(),
    timezone: d.timezone.trim() || null,
    instructions: d.instructions,
    greeting: d.greeting,
    companyBrief: d.companyBrief,
    tools: [...d.tools].sort(),
    transferNumber: d.transferNumber.trim() || null,
    transferMode: d.transferMode,
    voicemailMessage: d.voicemailMessage,
    tuning: d.tuning,
    dtmfActions: Object.fromEntries(Object.entries(d.dtmfActions).sort(([a], [b]) => a.localeCompare(b))),
  };
}

export function isDirty(draft: AgentDraft, saved: Agent): boolean {
  return JSON.stringify(toPatch(draft)) !== JSON.stringify(toPatch(toDraft(saved)));
}

/**
 * Switching provider keeps the model and voice when they are valid for the new provider and
 * otherwise picks that provider's defaults.
 */
export function switchProvider(
  d: AgentDraft,
  provider: Agent['provider'],
  defaults: {
    models: Record<string, string>;
    voices: Record<string, readonly string[]>;
    defaultVoices: Record<string, string>;
  },
): AgentDraft {
  if (provider === d.provider) return d;
  const usedDefaultModel = Object.values(defaults.models).includes(d.model) || d.model === '';
  const voiceOk = defaults.voices[provider]?.includes(d.voice) ?? false;
  return {
    ...d,
    provider,
    model: usedDefaultModel ? (defaults.models[provider] ?? d.model) : d.model,
    voice: voiceOk ? d.voice : (defaults.defaultVoices[provider] ?? d.voice),
    // Semantic VAD is OpenAI-only.
    tuning: provider === 'openai' ? d.tuning : { ...d.tuning, vadType: 'server_vad' },
  };
}
