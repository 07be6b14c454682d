/** The CRM: prospects, campaigns and their prospects, appointments, text messages and the do-not-call list. */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { calls } from './calls.ts';
import { createdAt, id, orgId, updatedAt } from './columns.ts';
import { agents } from './organization.ts';

export const prospects = pgTable(
  'prospects',
  {
    id: id(),
    organizationId: orgId(),
    company: text('company').notNull().default(''),
    contact: text('contact').notNull().default(''),
    phone: text('phone').notNull(),
    email: text('email'),
    timezone: text('timezone'),
    status: text('status')
      .$type<'new' | 'contacted' | 'qualified' | 'meeting_scheduled' | 'won' | 'lost' | 'do_not_call'>()
      .notNull()
      .default('new'),
    notes: text('notes').notNull().default(''),
    source: text('source').notNull().default('manual'),
    /** Consent basis for calling: none, express or written (docs/campaigns.md). */
    consent: text('consent').$type<'none' | 'express' | 'written'>().notNull().default('none'),
    consentAt: timestamp('consent_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('prospects_org_phone_uq').on(t.organizationId, t.phone),
    index('prospects_org_status_idx').on(t.organizationId, t.status),
    index('prospects_org_created_idx').on(t.organizationId, t.createdAt),
  ],
);

export const campaigns = pgTable(
  'campaigns',
  {
    id: id(),
    organizationId: orgId(),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    status: text('status')
      .$type<'draft' | 'running' | 'paused' | 'completed' | 'stopped'>()
      .notNull()
      .default('draft'),
    /** Schedule, time zone, pacing, retry policy, voicemail, stopOn, daily cap (docs/campaigns.md). */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** Why the dialer paused the campaign itself (circuit breaker, daily cap). */
    pausedReason: text('paused_reason'),
    /** Failed dials in a row (reset by any answered call); the circuit breaker trips at 5. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('campaigns_org_idx').on(t.organizationId)],
);

export const campaignProspects = pgTable(
  'campaign_prospects',
  {
    id: id(),
    organizationId: orgId(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    prospectId: uuid('prospect_id')
      .notNull()
      .references(() => prospects.id, { onDelete: 'cascade' }),
    state: text('state')
      .$type<'pending' | 'scheduled' | 'dialing' | 'done' | 'skipped'>()
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastCallId: uuid('last_call_id').references(() => calls.id, { onDelete: 'set null' }),
    lastOutcome: text('last_outcome'),
    skipReason: text('skip_reason'),
    lockedBy: text('locked_by'),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('campaign_prospects_uq').on(t.campaignId, t.prospectId),
    index('campaign_prospects_due_idx').on(t.state, t.nextAttemptAt),
    index('campaign_prospects_campaign_state_idx').on(t.campaignId, t.state),
  ],
);

export const appointments = pgTable(
  'appointments',
  {
    id: id(),
    organizationId: orgId(),
    prospectId: uuid('prospect_id').references(() => prospects.id, { onDelete: 'set null' }),
    callId: uuid('call_id').references(() => calls.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    start: timestamp('start_at', { withTimezone: true }).notNull(),
    end: timestamp('end_at', { withTimezone: true }).notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    title: text('title').notNull(),
    status: text('status').$type<'confirmed' | 'cancelled'>().notNull().default('confirmed'),
    notes: text('notes').notNull().default(''),
    cancelReason: text('cancel_reason'),
    externalId: text('external_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('appointments_org_start_idx').on(t.organizationId, t.start)],
);

export const messages = pgTable(
  'messages',
  {
    id: id(),
    organizationId: orgId(),
    callId: uuid('call_id').references(() => calls.id, { onDelete: 'set null' }),
    prospectId: uuid('prospect_id').references(() => prospects.id, { onDelete: 'set null' }),
    direction: text('direction').$type<'outbound' | 'inbound'>().notNull().default('outbound'),
    from: text('from_number').notNull(),
    to: text('to_number').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('queued'),
    providerSid: text('provider_sid'),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('messages_org_created_idx').on(t.organizationId, t.createdAt),
    index('messages_org_prospect_idx').on(t.organizationId, t.prospectId),
    // One row per Twilio message SID (Twilio retries webhooks).
    uniqueIndex('messages_provider_sid_uq').on(t.providerSid),
  ],
);

export const doNotCall = pgTable(
  'do_not_call',
  {
    id: id(),
    organizationId: orgId(),
    phone: text('phone').notNull(),
    reason: text('reason').notNull().default(''),
    source: text('source').notNull().default('manual'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('do_not_call_org_phone_uq').on(t.organizationId, t.phone)],
);
