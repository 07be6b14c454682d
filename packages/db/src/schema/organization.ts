/** Organizations and what they configure: users, API keys, agents, phone numbers, integrations, webhooks and the audit log. */

import type { PostCall } from '@switchboard/shared';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { type BusinessHours, createdAt, id, orgId, updatedAt } from './columns.ts';

export const users = pgTable(
  'users',
  {
    id: id(),
    organizationId: orgId(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    role: text('role').$type<'owner' | 'admin' | 'agent' | 'viewer'>().notNull(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** Set for a generated or admin-reset password: the next sign-in must choose a new one. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    /**
     * Session tokens carry the version they were minted at (`tv`); bumping it (password reset,
     * role change, disable, logout) revokes every session of the user (docs/security.md).
     */
    tokenVersion: integer('token_version').notNull().default(0),
    /**
     * The session (`sid` claim) that changed its own password: it stays signed in while every
     * other session is revoked. Cleared by every other bump.
     */
    keptSessionId: text('kept_session_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email), index('users_org_idx').on(t.organizationId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    organizationId: orgId(),
    name: text('name').notNull(),
    /** First characters of the key, shown in lists so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 hex of the full key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull(),
    role: text('role').$type<'owner' | 'admin' | 'agent' | 'viewer'>().notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.keyHash), index('api_keys_org_idx').on(t.organizationId)],
);

export const agents = pgTable(
  'agents',
  {
    id: id(),
    organizationId: orgId(),
    name: text('name').notNull(),
    /** The default inbound agent: answers numbers that name no agent (one per organization). */
    isDefault: boolean('is_default').notNull().default(false),
    /** Places outbound calls and campaigns that name no agent (at most one per organization). */
    isDefaultOutbound: boolean('is_default_outbound').notNull().default(false),
    provider: text('provider').$type<'openai' | 'gemini'>().notNull().default('openai'),
    model: text('model').notNull(),
    voice: text('voice').notNull(),
    language: text('language').notNull().default('en-US'),
    timezone: text('timezone'),
    instructions: text('instructions').notNull().default(''),
    greeting: text('greeting').notNull().default(''),
    companyBrief: text('company_brief').notNull().default(''),
    tools: jsonb('tools').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    transferNumber: text('transfer_number'),
    transferMode: text('transfer_mode').$type<'cold' | 'warm'>().notNull().default('cold'),
    voicemailMessage: text('voicemail_message').notNull().default(''),
    tuning: jsonb('tuning').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    businessHours: jsonb('business_hours').$type<BusinessHours>(),
    /** DTMF digit → action, e.g. { "0": "transfer_call" }. */
    dtmfActions: jsonb('dtmf_actions').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
    /** After-call analysis settings: summary on/off and extraction fields (docs/post-call.md). */
    postCall: jsonb('post_call')
      .$type<PostCall>()
      .notNull()
      .default(sql`'{"summary":true,"extraction":[]}'::jsonb`),
    /** The server records the call's audio (docs/post-call.md#recording); off by default. */
    recording: text('recording').$type<'on' | 'off'>().notNull().default('off'),
    /**
     * What the model is told about an unverified (inbound, caller-ID matched) caller: `limited`
     * leaves out email, notes and past summaries; `full` includes them, still marked unverified.
     */
    callerContext: text('caller_context').$type<'limited' | 'full'>().notNull().default('limited'),
    /** Whom send_sms may text: the call's other party only (`caller`), or any number (`any`). */
    smsRecipients: text('sms_recipients').$type<'caller' | 'any'>().notNull().default('caller'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('agents_org_idx').on(t.organizationId)],
);

export const phoneNumbers = pgTable(
  'phone_numbers',
  {
    id: id(),
    organizationId: orgId(),
    /** E.164; unique across the installation so an inbound webhook maps to one organization. */
    e164: text('e164').notNull(),
    label: text('label').notNull().default(''),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('phone_numbers_e164_uq').on(t.e164),
    index('phone_numbers_org_idx').on(t.organizationId),
  ],
);

export const integrations = pgTable(
  'integrations',
  {
    id: id(),
    organizationId: orgId(),
    provider: text('provider').$type<'twilio' | 'openai' | 'gemini' | 'google_calendar'>().notNull(),
    /** Non-secret settings (account SID, phone number, calendar id…). */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    /** AES-256-GCM ciphertext (key derived from APP_SECRET) of the secret fields, never returned by the API. */
    secretCiphertext: text('secret_ciphertext'),
    status: text('status').notNull().default('untested'),
    lastTestedAt: timestamp('last_tested_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('integrations_org_provider_uq').on(t.organizationId, t.provider)],
);

export const webhooks = pgTable(
  'webhooks',
  {
    id: id(),
    organizationId: orgId(),
    url: text('url').notNull(),
    events: jsonb('events').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    secretCiphertext: text('secret_ciphertext'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    description: text('description').notNull().default(''),
    /** Why the webhook was disabled (persistent delivery failure); null while enabled or disabled by hand. */
    disabledReason: text('disabled_reason'),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhooks_org_idx').on(t.organizationId)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    organizationId: orgId(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: createdAt(),
    /** The event's id (`X-Switchboard-Event-Id`): the same for every webhook the event goes to. */
    eventId: uuid('event_id'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_org_created_idx').on(t.organizationId, t.createdAt)],
);
