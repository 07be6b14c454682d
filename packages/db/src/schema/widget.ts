/**
 * The website widget (docs/widget.md): an agent's public widget settings, and one row per
 * session token issued to a visitor's browser (single use, short-lived; its use and end are
 * recorded so concurrent sessions and per-IP rates are counted across server processes).
 */
import type { WidgetChannel, WidgetTheme } from '@switchboard/shared';
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { calls } from './calls.ts';
import { createdAt, id, orgId, updatedAt } from './columns.ts';
import { agents } from './organization.ts';

export const agentWidgets = pgTable(
  'agent_widgets',
  {
    id: id(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    /** Public key (`wk_…`) the embed snippet carries; not a secret. */
    publicKey: text('public_key').notNull(),
    enabled: boolean('enabled').notNull().default(false),
    /** Exact origins (`https://shop.example.com`) allowed to embed the widget. */
    allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    channels: jsonb('channels').$type<WidgetChannel[]>().notNull().default(sql`'["chat"]'::jsonb`),
    theme: jsonb('theme').$type<WidgetTheme>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('agent_widgets_agent_uq').on(t.agentId),
    uniqueIndex('agent_widgets_key_uq').on(t.publicKey),
  ],
);

export const widgetSessions = pgTable(
  'widget_sessions',
  {
    id: id(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<WidgetChannel>().notNull(),
    /** SHA-256 of the single-use token (the token itself is never stored). */
    tokenHash: text('token_hash').notNull(),
    origin: text('origin').notNull(),
    /** SHA-256 of the visitor's IP (keyed), for the per-IP hourly cap. */
    ipHash: text('ip_hash').notNull(),
    /** SHA-256 of the visitor id the browser keeps, so a returning visitor continues the chat. */
    visitorHash: text('visitor_hash'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    callId: uuid('call_id').references(() => calls.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('widget_sessions_token_uq').on(t.tokenHash),
    index('widget_sessions_org_idx').on(t.organizationId, t.createdAt),
    index('widget_sessions_ip_idx').on(t.ipHash, t.createdAt),
    index('widget_sessions_visitor_idx').on(t.agentId, t.visitorHash, t.createdAt),
  ],
);
