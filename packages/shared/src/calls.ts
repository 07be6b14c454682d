import { z } from 'zod';
import { paginationSchema, uuidSchema } from './common.ts';

export const CALL_DIRECTIONS = ['inbound', 'outbound', 'web'] as const;
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
export const FINAL_CALL_STATUSES: readonly CallStatus[] = [
  'completed',
  'busy',
  'no-answer',
  'failed',
  'canceled',
];

export const transcriptSegmentSchema = z.object({
  role: z.enum(['user', 'assistant', 'system']),
  text: z.string(),
  atMs: z.number().int(),
});
export type TranscriptSegment = z.infer<typeof transcriptSegmentSchema>;

export const callEventSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  atMs: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type CallEvent = z.infer<typeof callEventSchema>;

export const callSchema = z.object({
  id: z.string(),
  direction: z.enum(CALL_DIRECTIONS),
  from: z.string(),
  to: z.string(),
  status: z.string(),
  providerCallSid: z.string().nullable(),
  agentId: z.string().nullable(),
  prospectId: z.string().nullable(),
  campaignId: z.string().nullable(),
  startedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationS: z.number().int().nullable(),
  endReason: z.string().nullable(),
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
});
export type Call = z.infer<typeof callSchema>;

export const callDetailSchema = callSchema.extend({
  transcript: z.array(transcriptSegmentSchema),
  events: z.array(callEventSchema),
});
export type CallDetail = z.infer<typeof callDetailSchema>;

export const listCallsQuerySchema = paginationSchema.extend({
  direction: z.enum(CALL_DIRECTIONS).optional(),
  status: z.enum(CALL_STATUSES).optional(),
  agentId: uuidSchema.optional(),
  prospectId: uuidSchema.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  live: z.enum(['true', 'false']).optional(),
});
export type ListCallsQuery = z.input<typeof listCallsQuerySchema>;

/** `POST /api/prospects/:id/call` (body optional): which agent places the call (default: the default agent). */
export const placeCallSchema = z.strictObject({ agentId: uuidSchema.optional() });
export type PlaceCall = z.input<typeof placeCallSchema>;
