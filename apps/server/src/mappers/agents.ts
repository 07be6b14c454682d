import type { agents } from '@switchboard/db';
import { type Agent, DEFAULT_TUNING, fullWeek, TOOL_NAMES, type ToolName } from '@switchboard/shared';
import { iso } from './iso.ts';

export type AgentRow = typeof agents.$inferSelect;

const KNOWN_TOOLS = new Set<string>(TOOL_NAMES);

/** The API shape of an agent. Stored tuning is merged over the defaults, so new knobs get their default. */
export function toAgentJson(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    provider: row.provider,
    model: row.model,
    voice: row.voice,
    language: row.language,
    timezone: row.timezone,
    businessHours: row.businessHours ? fullWeek(row.businessHours) : null,
    instructions: row.instructions,
    greeting: row.greeting,
    companyBrief: row.companyBrief,
    tools: row.tools.filter((tool): tool is ToolName => KNOWN_TOOLS.has(tool)),
    transferNumber: row.transferNumber,
    transferMode: row.transferMode,
    voicemailMessage: row.voicemailMessage,
    tuning: { ...DEFAULT_TUNING, ...row.tuning },
    dtmfActions: row.dtmfActions,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
