/** Outbound campaigns, their audience, compliance ledger and the do-not-call list (docs/campaigns.md). */
import { z } from 'zod';
import { paginationSchema, phoneInputSchema, timezoneSchema, uuidSchema } from './common.ts';
import { CALL_DISPOSITIONS } from './dispositions.ts';
import { importResultSchema, PROSPECT_STATUSES } from './prospects.ts';

export const CAMPAIGN_STATUSES = ['draft', 'running', 'paused', 'completed', 'stopped'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_PROSPECT_STATES = ['pending', 'scheduled', 'dialing', 'done', 'skipped'] as const;
export type CampaignProspectState = (typeof CAMPAIGN_PROSPECT_STATES)[number];
/** Outcomes that are retried after `retry.delayS[…]`. */
export const RETRY_OUTCOMES = ['no_answer', 'busy', 'voicemail', 'failed'] as const;
export type RetryOutcome = (typeof RETRY_OUTCOMES)[number];

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const hhmm = z.string().regex(HHMM, { message: 'must be a time as HH:MM (00:00–23:59)' });

export const campaignScheduleSchema = z
  .strictObject({
    days: z
      .array(z.number().int().min(1, 'must be ISO weekdays 1–7').max(7, 'must be ISO weekdays 1–7'))
      .min(1, 'must list at least one weekday')
      .max(7),
    start: hhmm,
    end: hhmm,
  })
  .refine((s) => s.end > s.start, { message: 'end must be after start', path: ['end'] });
export type CampaignSchedule = z.infer<typeof campaignScheduleSchema>;

const delay = z
  .number()
  .int()
  .min(1, 'must be at least 1 second')
  .max(30 * 86_400);
export const campaignRetrySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(20),
  delayS: z.strictObject({ no_answer: delay, busy: delay, voicemail: delay, failed: delay }),
});
export type CampaignRetry = z.infer<typeof campaignRetrySchema>;

export const DEFAULT_CAMPAIGN_SETTINGS = {
  schedule: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
  defaultTimezone: 'UTC',
  maxConcurrent: 5,
  callsPerMinute: 30,
  retry: { maxAttempts: 3, delayS: { no_answer: 3_600, busy: 900, voicemail: 86_400, failed: 1_800 } },
  voicemail: 'leave',
  stopOn: ['meeting_booked', 'not_interested', 'do_not_call', 'wrong_number'],
  dailyCap: null,
} as const;

const settingsFields = {
  schedule: campaignScheduleSchema,
  defaultTimezone: timezoneSchema,
  maxConcurrent: z.number().int().min(1, 'must be at least 1').max(500),
  callsPerMinute: z.number().int().min(1, 'must be at least 1').max(600),
  retry: campaignRetrySchema,
  voicemail: z.enum(['leave', 'hangup']),
  stopOn: z.array(z.enum(CALL_DISPOSITIONS)).max(CALL_DISPOSITIONS.length),
  /** Most calls this campaign places per day (in defaultTimezone); null: no cap. */
  dailyCap: z.number().int().min(1).max(1_000_000).nullable(),
};

export const createCampaignSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(200),
  agentId: uuidSchema.optional(),
  schedule: settingsFields.schedule.optional(),
  defaultTimezone: settingsFields.defaultTimezone.optional(),
  maxConcurrent: settingsFields.maxConcurrent.optional(),
  callsPerMinute: settingsFields.callsPerMinute.optional(),
  retry: settingsFields.retry.optional(),
  voicemail: settingsFields.voicemail.optional(),
  stopOn: settingsFields.stopOn.optional(),
  dailyCap: settingsFields.dailyCap.optional(),
});
export type CreateCampaign = z.input<typeof createCampaignSchema>;

export const updateCampaignSchema = createCampaignSchema.partial();
export type UpdateCampaign = z.input<typeof updateCampaignSchema>;

export const campaignStatsSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  scheduled: z.number().int(),
  dialing: z.number().int(),
  done: z.number().int(),
  skipped: z.number().int(),
  byDisposition: z.record(z.string(), z.number().int()),
});
export type CampaignStats = z.infer<typeof campaignStatsSchema>;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  agentId: z.string().nullable(),
  status: z.enum(CAMPAIGN_STATUSES),
  schedule: z.object({ days: z.array(z.number().int()), start: z.string(), end: z.string() }),
  defaultTimezone: z.string(),
  maxConcurrent: z.number().int(),
  callsPerMinute: z.number().int(),
  retry: campaignRetrySchema,
  voicemail: z.enum(['leave', 'hangup']),
  stopOn: z.array(z.string()),
  dailyCap: z.number().int().nullable(),
  /** Why the campaign paused itself (circuit breaker, daily cap); null otherwise. */
  pausedReason: z.string().nullable(),
  stats: campaignStatsSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignProspectSchema = z.object({
  prospectId: z.string(),
  contact: z.string(),
  company: z.string(),
  phone: z.string(),
  timezone: z.string().nullable(),
  state: z.enum(CAMPAIGN_PROSPECT_STATES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastDisposition: z.string().nullable(),
  lastCallId: z.string().nullable(),
  skipReason: z.string().nullable(),
});
export type CampaignProspect = z.infer<typeof campaignProspectSchema>;

export const listCampaignProspectsQuerySchema = paginationSchema.extend({
  state: z.enum(CAMPAIGN_PROSPECT_STATES).optional(),
});

export const addCampaignProspectsSchema = z.union([
  z.strictObject({ prospectIds: z.array(uuidSchema).min(1).max(10_000) }),
  z.strictObject({
    /** CSV text with a header row (the prospect import's columns); creates or updates prospects. */
    csv: z.string().min(1).max(8_000_000),
    onDuplicate: z.enum(['skip', 'update']).default('update'),
  }),
  z.strictObject({
    filter: z.strictObject({
      status: z.enum(PROSPECT_STATUSES).optional(),
      source: z.string().trim().max(100).optional(),
      search: z.string().trim().max(200).optional(),
    }),
  }),
]);
export type AddCampaignProspects = z.infer<typeof addCampaignProspectsSchema>;
export const addCampaignProspectsResultSchema = z.object({
  added: z.number().int(),
  total: z.number().int(),
  /** With `csv`: the prospect import's result (created, updated, skipped, per-row errors). */
  import: importResultSchema.optional(),
});

/** Who can be called now (GET /api/campaigns/:id/preview): the rules applied to waiting prospects. */
export const campaignPreviewSchema = z.object({
  at: z.string(),
  /** Prospects pending or scheduled. */
  waiting: z.number().int(),
  callableNow: z.number().int(),
  outsideWindow: z.number().int(),
  /** On the do-not-call list, status do_not_call, or out of attempts. */
  blocked: z.number().int(),
  /** The soonest window opening among those outside it. */
  nextWindowAt: z.string().nullable(),
});
export type CampaignPreview = z.infer<typeof campaignPreviewSchema>;

export const LEDGER_DECISIONS = ['dial', 'skip', 'defer'] as const;
export const ledgerEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  prospectId: z.string().nullable(),
  phone: z.string(),
  decision: z.enum(LEDGER_DECISIONS),
  rule: z.string(),
  /** Wall-clock time at the prospect, ISO 8601 with its offset. */
  localTime: z.string(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export const DNC_SOURCES = ['manual', 'import', 'opt_out', 'api'] as const;
export const doNotCallEntrySchema = z.object({
  id: z.string(),
  phone: z.string(),
  reason: z.string(),
  source: z.string(),
  createdAt: z.string(),
});
export type DoNotCallEntry = z.infer<typeof doNotCallEntrySchema>;
export const createDoNotCallSchema = z.strictObject({
  phone: phoneInputSchema,
  reason: z.string().trim().max(500).default(''),
});
export const importDoNotCallSchema = z.strictObject({ csv: z.string().min(1).max(5_000_000) });
export const listDoNotCallQuerySchema = paginationSchema.extend({ q: z.string().trim().max(64).optional() });
