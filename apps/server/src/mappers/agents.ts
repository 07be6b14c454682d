import type { agents } from '@switchboard/db';
import {
  type Agent,
  agentToolSchema,
  DEFAULT_POST_CALL,
  DEFAULT_TUNING,
  fullWeek,
} from '@switchboard/shared';
import { iso } from './iso.ts';

export type AgentRow = typeof agents.$inferSelect;

/** The API shape of an agent. Stored tuning is merged over the defaults, so new knobs get their default. */
export function toAgentJson(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    isDefaultOutbound: row.isDefaultOutbound,
    provider: row.provider,
    model: row.model,
    voice: row.voice,
    language: row.language,
    timezone: row.timezone,
    businessHours: row.businessHours ? fullWeek(row.businessHours) : null,
    instructions: row.instructions,
    greeting: row.greeting,
    companyBrief: row.companyBrief,
    // A tool this build no longer has is dropped rather than shown.
    tools: row.tools.filter((tool) => agentToolSchema.safeParse(tool).success),
    transferNumber: row.transferNumber,
    transferMode: row.transferMode,
    voicemailMessage: row.voicemailMessage,
    tuning: { ...DEFAULT_TUNING, ...row.tuning },
    dtmfActions: row.dtmfActions,
    postCall: { ...DEFAULT_POST_CALL, ...row.postCall },
    recording: row.recording,
    callerContext: row.callerContext,
    smsRecipients: row.smsRecipients,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
