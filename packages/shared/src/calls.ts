import { z } from 'zod';
import { CALL_EVENT_TYPES } from './call-events.ts';
import { isoDateTimeSchema, paginationSchema, uuidSchema } from './common.ts';
import { CALL_DISPOSITIONS } from './dispositions.ts';
import { ANALYSIS_STATUSES, callCostSchema } from './post-call.ts';

export const CALL_DIRECTIONS = ['inbound', 'outbound', 'web'] as const;
/** What carried a conversation: the phone (and the dashboard's test call), or the website widget's voice or chat. */
export const CALL_CHANNELS = ['phone', 'web_voice', 'web_chat'] as const;
export type CallChannel = (typeof CALL_CHANNELS)[number];
export const CALL_STATUSES = [
  'queued',
  'initiated',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];
export const FINAL_CALL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type FinalCallStatus = (typeof FINAL_CALL_STATUSES)[number];

/** A final status never changes again (docs/telephony.md "The call record"). */
export function isFinalCallStatus(status: string): status is FinalCallStatus {
  return (FINAL_CALL_STATUSES as readonly string[]).includes(status);
}

/** Why a call ended, or is about to (docs/telephony.md "The call record" lists what each means). */
export const CALL_END_REASONS = [
  // The conversation's own end (the session's reason).
  'caller_hangup',
  'socket_closed',
  'agent_hangup',
  'transferred',
  'max_duration',
  'silence_timeout',
  'model_unavailable',
  'model_disconnected',
  // The call could not be set up, or its media stream was lost.
  'no_agent',
  'no_credentials',
  'setup_failed',
  'stream_lost',
  // Outbound: an answering machine or a fax answered and was dealt with by Twilio.
  'voicemail',
  'fax',
  // Twilio's final status, when nothing else explained the end.
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
  // Outbound: the call could not be placed.
  'twilio_not_configured',
  'no_caller_id',
  'twilio_auth_failed',
  'twilio_error',
  'twilio_unavailable',
  // Outbound through Twilio without PUBLIC_URL (or not https) outside development.
  'public_url_missing',
  // Outbound through a SIP trunk: SIP is off (no SIP_PORT), or the trunk refused the call.
  'sip_off',
  'sip_failed',
  // The call was left unfinished by a server that stopped (crash, kill) and was closed on restart.
  'server_restart',
  // Refused on arrival: too many calls at once (MAX_CONCURRENT_CALLS, _PER_ORG).
  'capacity',
] as const;
export type CallEndReason = (typeof CALL_END_REASONS)[number];

/**
 * End reasons of attempts that never reached the phone network (configuration errors). Such
 * a call is shown as "not placed" with its reason and is not counted as a call or in rates.
 */
export const NOT_PLACED_REASONS = [
  'twilio_not_configured',
  'no_caller_id',
  'twilio_auth_failed',
  'twilio_error',
  'twilio_unavailable',
  'public_url_missing',
  'sip_off',
] as const satisfies readonly CallEndReason[];

/** True for an attempt that never reached the phone network (see NOT_PLACED_REASONS). */
export function isNotPlaced(call: { status: string; endReason: string | null }): boolean {
  return call.status === 'failed' && (NOT_PLACED_REASONS as readonly string[]).includes(call.endReason ?? '');
}

export const transcriptSegmentSchema = z.object({
  role: z.enum(['user', 'assistant', 'system']),
  text: z.string(),
  atMs: z.number().int(),
});
export type TranscriptSegment = z.infer<typeof transcriptSegmentSchema>;

export const callEventSchema = z.object({
  id: z.number().int(),
  type: z.enum(CALL_EVENT_TYPES),
  atMs: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type CallEvent = z.infer<typeof callEventSchema>;

export const callSchema = z.object({
  id: z.string(),
  direction: z.enum(CALL_DIRECTIONS),
  channel: z.enum(CALL_CHANNELS),
  from: z.string(),
  to: z.string(),
  status: z.enum(CALL_STATUSES),
  providerCallSid: z.string().nullable(),
  agentId: z.string().nullable(),
  prospectId: z.string().nullable(),
  campaignId: z.string().nullable(),
  startedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationS: z.number().int().nullable(),
  endReason: z.enum(CALL_END_REASONS).nullable(),
  answeredBy: z.string().nullable(),
  summary: z.string().nullable(),
  disposition: z.string().nullable(),
  usage: z.record(z.string(), z.unknown()).nullable(),
  costUsd: z.number().nullable(),
  latency: z.record(z.string(), z.unknown()).nullable(),
  recordingUrl: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Post-call analysis: null when the call gets none (not answered), else pending/done/failed. */
  analysisStatus: z.enum(ANALYSIS_STATUSES).nullable(),
  /** Why the analysis failed (or why the last attempt did, while it is retried). */
  analysisError: z.string().nullable(),
  /** The agent's `postCall.extraction` fields as the model filled them (null values: not said). */
  extraction: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
  /** USD: model usage and telephony minutes; null until the call ends. */
  cost: callCostSchema.nullable(),
});
export type Call = z.infer<typeof callSchema>;

export const callDetailSchema = callSchema.extend({
  transcript: z.array(transcriptSegmentSchema),
  events: z.array(callEventSchema),
});
export type CallDetail = z.infer<typeof callDetailSchema>;

export const listCallsQuerySchema = paginationSchema.extend({
  direction: z.enum(CALL_DIRECTIONS).optional(),
  channel: z.enum(CALL_CHANNELS).optional(),
  status: z.enum(CALL_STATUSES).optional(),
  agentId: uuidSchema.optional(),
  prospectId: uuidSchema.optional(),
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  live: z.enum(['true', 'false']).optional(),
  disposition: z.enum(CALL_DISPOSITIONS).optional(),
  /** Full-text search in transcripts: every word must occur (as a word or a word's beginning). */
  q: z.string().trim().max(200).optional(),
});
export type ListCallsQuery = z.input<typeof listCallsQuerySchema>;

/** `POST /api/prospects/:id/call` (body optional): which agent places the call (default: the default agent). */
export const placeCallSchema = z.strictObject({ agentId: uuidSchema.optional() });
export type PlaceCall = z.input<typeof placeCallSchema>;
