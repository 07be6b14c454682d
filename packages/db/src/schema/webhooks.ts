/** Outgoing webhooks' delivery log: one row per HTTP attempt (docs/webhooks.md). */
import { bigserial, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgId } from './columns.ts';
import { webhookDeliveries } from './organization.ts';

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    /** 1 for the first attempt. */
    attempt: integer('attempt').notNull(),
    /** The receiver's HTTP status; null when none came (timeout, refused address, network). */
    responseStatus: integer('response_status'),
    /** What went wrong, in words (never the secret). */
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    /** The first bytes of the receiver's answer (bounded). */
    responseBody: text('response_body'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.id)],
);
