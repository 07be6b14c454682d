/** A campaign row's settings (the `settings` jsonb) with defaults filled in, and its JSON form. */
import type { campaigns } from '@switchboard/db';
import {
  type Campaign,
  type CampaignRetry,
  type CampaignSchedule,
  type CampaignStats,
  DEFAULT_CAMPAIGN_SETTINGS,
} from '@switchboard/shared';
import { isoOrNull } from '../mappers/iso.ts';

export type CampaignRow = typeof campaigns.$inferSelect;

export interface CampaignSettings {
  schedule: CampaignSchedule;
  defaultTimezone: string;
  maxConcurrent: number;
  callsPerMinute: number;
  retry: CampaignRetry;
  voicemail: 'leave' | 'hangup';
  stopOn: string[];
  dailyCap: number | null;
}

export const SETTING_KEYS = [
  'schedule',
  'defaultTimezone',
  'maxConcurrent',
  'callsPerMinute',
  'retry',
  'voicemail',
  'stopOn',
  'dailyCap',
] as const;

export function readSettings(row: Pick<CampaignRow, 'settings'>): CampaignSettings {
  const s = row.settings as Partial<CampaignSettings>;
  const d = DEFAULT_CAMPAIGN_SETTINGS;
  return {
    schedule: s.schedule ?? { ...d.schedule, days: [...d.schedule.days] },
    defaultTimezone: s.defaultTimezone ?? d.defaultTimezone,
    maxConcurrent: s.maxConcurrent ?? d.maxConcurrent,
    callsPerMinute: s.callsPerMinute ?? d.callsPerMinute,
    retry: s.retry ?? { maxAttempts: d.retry.maxAttempts, delayS: { ...d.retry.delayS } },
    voicemail: s.voicemail ?? d.voicemail,
    stopOn: s.stopOn ?? [...d.stopOn],
    dailyCap: s.dailyCap ?? d.dailyCap,
  };
}

export function toCampaignJson(row: CampaignRow, stats: CampaignStats): Campaign {
  return {
    id: row.id,
    name: row.name,
    agentId: row.agentId,
    status: row.status,
    ...readSettings(row),
    pausedReason: row.pausedReason,
    stats,
    createdAt: row.createdAt.toISOString(),
    startedAt: isoOrNull(row.startedAt),
    completedAt: isoOrNull(row.completedAt),
  };
}
