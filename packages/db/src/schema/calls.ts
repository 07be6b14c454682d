/** Calls, their transcript segments and their timeline events (written only by the server's `call-record/`). */
import type {
  AnalysisStatus,
  CallChannel,
  CallCost,
  CallEndReason,
  CallEventType,
  CallStatus,
} from '@switchboard/shared';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.ts';
import { campaigns, prospects } from './crm.ts';
import { agents } from './organization.ts';

export const calls = pgTable(
  'calls',
  {
    id: id(),
    organizationId: orgId(),
    direction: text('direction').$type<'inbound' | 'outbound' | 'web'>().notNull(),
    /** What carried the conversation: the phone (Twilio, SIP, the dashboard's test call) or the website widget. */
    channel: text('channel').$type<CallChannel>().notNull().default('phone'),
    from: text('from_number').notNull().default(''),
    to: text('to_number').notNull().default(''),
    status: text('status').$type<CallStatus>().notNull().default('queued'),
    providerCallSid: text('provider_call_sid'),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    prospectId: uuid('prospect_id').references(() => prospects.id, { onDelete: 'set null' }),
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    durationS: integer('duration_s'),
    endReason: text('end_reason').$type<CallEndReason>(),
    answeredBy: text('answered_by'),
    summary: text('summary'),
    disposition: text('disposition'),
    usage: jsonb('usage').$type<Record<string, unknown>>(),
    costUsd: numeric('cost_usd', { precision: 12, scale: 6 }),
    latency: jsonb('latency').$type<Record<string, unknown>>(),
    recordingUrl: text('recording_url'),
    error: text('error'),
    /** Highest Twilio SequenceNumber applied, so out-of-order status callbacks never regress. */
    lastStatusSeq: integer('last_status_seq').notNull().default(-1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Post-call analysis (docs/post-call.md): null when the call gets none. */
    analysisStatus: text('analysis_status').$type<AnalysisStatus>(),
    analysisError: text('analysis_error'),
    /** The agent's extraction fields as the model filled them. */
    extraction: jsonb('extraction').$type<Record<string, string | number | boolean | null>>(),
    /** USD {model, telephony, total}; `cost_usd` holds the total. */
    cost: jsonb('cost').$type<CallCost>(),
    /** The server's own recording (a `RecordingStore` key), null when there is none. */
    recordingKey: text('recording_key'),
  },
  (t) => [
    uniqueIndex('calls_provider_sid_uq').on(t.providerCallSid),
    index('calls_org_created_idx').on(t.organizationId, t.createdAt),
    index('calls_org_prospect_idx').on(t.organizationId, t.prospectId),
  ],
);

export const transcriptSegments = pgTable(
  'transcript_segments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId(),
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    role: text('role').$type<'user' | 'assistant' | 'system'>().notNull(),
    text: text('text').notNull(),
    /** Milliseconds since the call started. */
    atMs: integer('at_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('transcript_call_idx').on(t.callId, t.id)],
);

export const callEvents = pgTable(
  'call_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId(),
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    type: text('type').$type<CallEventType>().notNull(),
    /** Milliseconds on the call's timeline (docs/telephony.md "The call record"). */
    atMs: integer('at_ms').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('call_events_call_idx').on(t.callId, t.id)],
);
