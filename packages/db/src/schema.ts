/**
 * The whole Switchboard data model (Postgres dialect; the same migrations run on PGlite
 * and Postgres). Every row that belongs to a customer carries `organization_id`, and every
 * query in the server is scoped by it.
 */
import type { CallEndReason, CallEventType, CallStatus, WeeklyHours } from '@switchboard/shared';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
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

const id = () => uuid('id').primaryKey().defaultRandom();
const orgId = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** Weekly opening hours: weekday → ["HH:MM", "HH:MM"] ranges in local time (absent or empty: closed). */
export type BusinessHours = Partial<WeeklyHours>;

export const organizations = pgTable('organizations', {
  id: id(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  businessHours: jsonb('business_hours').$type<BusinessHours>(),
  /** Local dates (YYYY-MM-DD) closed all day. */
  holidays: jsonb('holidays').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** ISO 3166-1 alpha-2 country that local (national-format) phone numbers are read in. */
  defaultCountry: text('default_country').notNull().default('US'),
  /** Days after a call before its recording / transcript is deleted (null: kept). */
  recordingsRetentionDays: integer('recordings_retention_days'),
  transcriptsRetentionDays: integer('transcripts_retention_days'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

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
    isDefault: boolean('is_default').notNull().default(false),
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
    status: text('status').$type<'draft' | 'running' | 'paused' | 'completed'>().notNull().default('draft'),
    /** Calling window, retry policy and concurrency; documented in docs/dialer.md. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('campaigns_org_idx').on(t.organizationId)],
);

export const calls = pgTable(
  'calls',
  {
    id: id(),
    organizationId: orgId(),
    direction: text('direction').$type<'inbound' | 'outbound' | 'web'>().notNull(),
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
      .$type<'pending' | 'dialing' | 'retry' | 'done' | 'failed' | 'skipped'>()
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastCallId: uuid('last_call_id').references(() => calls.id, { onDelete: 'set null' }),
    lastOutcome: text('last_outcome'),
    lockedBy: text('locked_by'),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('campaign_prospects_uq').on(t.campaignId, t.prospectId),
    index('campaign_prospects_due_idx').on(t.state, t.nextAttemptAt),
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
  },
  (t) => [index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt)],
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

/**
 * SIP trunks (docs/sip.md): a carrier or PBX that sends calls over SIP from `inboundAddresses`
 * and takes outbound calls at `outboundProxy`. The digest password is stored encrypted.
 */
export const sipTrunks = pgTable(
  'sip_trunks',
  {
    id: id(),
    organizationId: orgId(),
    name: text('name').notNull(),
    /** IPv4/IPv6 addresses and CIDR blocks allowed to send INVITEs. */
    inboundAddresses: jsonb('inbound_addresses').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    username: text('username').notNull().default(''),
    /** AES-GCM ciphertext (secrets.ts), or null when no password is set. */
    passwordEncrypted: text('password_encrypted'),
    /** `host:port` of the carrier's SIP edge. */
    outboundProxy: text('outbound_proxy').notNull(),
    transport: text('transport').$type<'udp' | 'tcp'>().notNull().default('udp'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('sip_trunks_org_idx').on(t.organizationId)],
);

/** The numbers (E.164) a trunk carries; unique across the installation, so an INVITE finds one trunk. */
export const sipTrunkNumbers = pgTable(
  'sip_trunk_numbers',
  {
    trunkId: uuid('trunk_id')
      .notNull()
      .references(() => sipTrunks.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    e164: text('e164').notNull(),
  },
  (t) => [
    uniqueIndex('sip_trunk_numbers_e164_uq').on(t.e164),
    index('sip_trunk_numbers_trunk_idx').on(t.trunkId),
  ],
);

/** Raw bytes (an upload waiting to be processed). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});
/** A full-text search vector; written with `to_tsvector(...)` in SQL, never read as a value. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Documents of an agent's knowledge base. `content` holds the uploaded bytes only until they
 * are processed into `knowledge_chunks`.
 */
export const knowledgeDocuments = pgTable(
  'knowledge_documents',
  {
    id: id(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    mimeType: text('mime_type').notNull(),
    bytes: integer('bytes').notNull(),
    chunks: integer('chunks').notNull().default(0),
    status: text('status').$type<'processing' | 'ready' | 'failed'>().notNull().default('processing'),
    error: text('error'),
    progress: integer('progress').notNull().default(0),
    source: text('source').$type<'upload' | 'text' | 'brief'>().notNull().default('upload'),
    content: bytea('content'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('knowledge_documents_agent_idx').on(t.organizationId, t.agentId)],
);

/**
 * Passages of a document, searchable by full text (`tsv`, built with the agent language's text
 * search configuration) and, where pgvector is installed, by an `embedding` column that the
 * knowledge_vector migration adds.
 */
export const knowledgeChunks = pgTable(
  'knowledge_chunks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => knowledgeDocuments.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    content: text('content').notNull(),
    tsv: tsvector('tsv').notNull(),
  },
  (t) => [
    index('knowledge_chunks_agent_idx').on(t.agentId),
    index('knowledge_chunks_document_idx').on(t.documentId),
    index('knowledge_chunks_tsv_idx').using('gin', t.tsv),
  ],
);

/** MCP servers of an organization; agents enable their tools as `mcp:<name>:<tool>`. */
export const mcpServers = pgTable(
  'mcp_servers',
  {
    id: id(),
    organizationId: orgId(),
    name: text('name').notNull(),
    transport: text('transport').$type<'http' | 'stdio'>().notNull(),
    url: text('url'),
    command: text('command'),
    args: jsonb('args').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** AES-256-GCM ciphertext of the JSON header map (may carry API keys); never returned. */
    headersCiphertext: text('headers_ciphertext'),
    status: text('status').$type<'untested' | 'ok' | 'error'>().notNull().default('untested'),
    lastError: text('last_error'),
    tools: jsonb('tools')
      .$type<Array<{ name: string; description: string; inputSchema: Record<string, unknown> }>>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    toolsFetchedAt: timestamp('tools_fetched_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('mcp_servers_org_name_uq').on(t.organizationId, t.name)],
);
