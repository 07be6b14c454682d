import { z } from 'zod';
import { callEventSchema, callSchema, transcriptSegmentSchema } from './calls.ts';

/**
 * Contracts the dashboard relies on beyond the CRUD resources: the overview statistics,
 * integrations (credentials), the live event stream and the browser test-call socket.
 * The server answers with these shapes; the dashboard renders them.
 */

/** `GET /api/stats/overview` */
export const statsOverviewSchema = z.object({
  callsToday: z.number().int(),
  callsThisWeek: z.number().int(),
  /** Answered calls / placed or received calls this week, 0..1; null with no calls (nothing to divide). */
  answerRate: z.number().min(0).max(1).nullable(),
  /** Over answered calls this week; null when none was answered. */
  avgDurationS: z.number().nullable(),
  meetingsBooked: z.number().int(),
  liveCalls: z.number().int(),
  latencyP50Ms: z.number().nullable(),
  latencyP90Ms: z.number().nullable(),
  costUsd: z.number(),
  /** One entry per day (YYYY-MM-DD), oldest first. */
  callsPerDay: z.array(z.object({ date: z.string(), count: z.number().int() })),
});
export type StatsOverview = z.infer<typeof statsOverviewSchema>;

export const INTEGRATION_PROVIDERS = ['twilio', 'openai', 'gemini', 'google_calendar'] as const;
export type IntegrationProvider = (typeof INTEGRATION_PROVIDERS)[number];
/** Outcome of the last connection test (`untested` until one runs, and again after credentials change). */
export const INTEGRATION_STATUSES = ['untested', 'ok', 'failed'] as const;
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];
/** Where the credentials in use come from: saved for the organization, or the server's environment variables. */
export const INTEGRATION_SOURCES = ['organization', 'environment'] as const;
export type IntegrationSource = (typeof INTEGRATION_SOURCES)[number];

/** An integration as listed by `GET /api/integrations` (an array); secrets are never returned. */
export const integrationSchema = z.object({
  provider: z.enum(INTEGRATION_PROVIDERS),
  configured: z.boolean(),
  /** Non-secret settings. */
  config: z.record(z.string(), z.unknown()),
  /** Secret field name → masked value such as `••••1234`; absent when not set. */
  secretsMasked: z.record(z.string(), z.string()),
  status: z.enum(INTEGRATION_STATUSES),
  lastTestedAt: z.string().nullable(),
  /** The server always sends it; null when not configured. */
  source: z.enum(INTEGRATION_SOURCES).nullable().optional(),
  /** Why the last test failed (or why stored credentials are unusable); null otherwise. */
  lastError: z.string().nullable().optional(),
});
export type Integration = z.infer<typeof integrationSchema>;

/** `PUT /api/integrations/:provider`: omitted or empty secrets keep their stored value. */
export const updateIntegrationSchema = z.strictObject({
  config: z.record(z.string(), z.unknown()).default({}),
  secrets: z.record(z.string(), z.string()).default({}),
});
/** `POST /api/integrations/:provider/test` */
export const integrationTestResultSchema = z.object({
  ok: z.boolean(),
  /** In plain words (unreachable host, rejected key, wrong account, missing permission). */
  message: z.string(),
  /** On failure: the provider's own message, for whoever debugs it. */
  detail: z.string().optional(),
});
/** Optional body of the test: values not saved yet (blank secrets use the saved ones). */
export const testIntegrationBodySchema = updateIntegrationSchema.optional();
export type IntegrationTestResult = z.infer<typeof integrationTestResultSchema>;

interface IntegrationField {
  name: string;
  label: string;
  secret: boolean;
  placeholder?: string;
  multiline?: boolean;
}
/** The fields the settings page offers per provider (the server may return more). */
export const INTEGRATION_FIELDS: Record<IntegrationProvider, readonly IntegrationField[]> = {
  twilio: [
    { name: 'accountSid', label: 'Account SID', secret: false, placeholder: 'AC…' },
    { name: 'phoneNumber', label: 'Default phone number', secret: false, placeholder: '+14155550100' },
    { name: 'authToken', label: 'Auth token', secret: true },
  ],
  openai: [{ name: 'apiKey', label: 'API key', secret: true, placeholder: 'sk-…' }],
  gemini: [{ name: 'apiKey', label: 'API key', secret: true }],
  google_calendar: [
    { name: 'calendarId', label: 'Calendar ID', secret: false, placeholder: 'primary' },
    { name: 'serviceAccountJson', label: 'Service account JSON', secret: true, multiline: true },
  ],
};

/**
 * Server-Sent Events on `GET /api/events?token=<jwt>` (EventSource cannot set headers).
 * The SSE `event:` field is the name below; `data:` is the JSON payload.
 */
export const liveEventSchemas = {
  /** A call row changed (status, answer, end, summary…): the full call JSON. */
  'call.updated': callSchema,
  /** A transcript segment was written. */
  'call.transcript': transcriptSegmentSchema.extend({ callId: z.string() }),
  /** A call event was written on the call's timeline (call-events.ts lists every type). */
  'call.event': z.object({ callId: z.string(), event: callEventSchema }),
} as const;
export type LiveEventName = keyof typeof liveEventSchemas;
export type LiveEventPayload<K extends LiveEventName> = z.infer<(typeof liveEventSchemas)[K]>;

/**
 * Browser test call: WebSocket `/api/browser-call?agentId=<id>&token=<jwt>`.
 * Audio is base64 PCM16 little-endian, mono, 24 kHz, in 20–100 ms chunks.
 */
export const browserCallClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('audio'), audio: z.string() }),
  z.object({ type: z.literal('stop') }),
]);
export type BrowserCallClientMessage = z.infer<typeof browserCallClientMessageSchema>;

export const browserCallServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), callId: z.string() }),
  z.object({ type: z.literal('audio'), audio: z.string() }),
  /** Stop playback now (the caller barged in). */
  z.object({ type: z.literal('clear') }),
  z.object({
    type: z.literal('transcript'),
    role: z.enum(['user', 'assistant']),
    text: z.string(),
    final: z.boolean(),
  }),
  z.object({ type: z.literal('ended'), reason: z.string() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type BrowserCallServerMessage = z.infer<typeof browserCallServerMessageSchema>;
export const BROWSER_CALL_SAMPLE_RATE = 24_000;
