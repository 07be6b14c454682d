/** Admission state that must hold across processes (docs/security.md). */
import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { calls } from './calls.ts';
import { createdAt, orgId, updatedAt } from './columns.ts';

/**
 * One row per phone call that was given a media stream: the nonce of the last stream token
 * minted for it (single-use: consumed by the stream's `start`) and since when a stream runs.
 * A token is admitted only by consuming its nonce, and a new one is not minted while a stream
 * is live, so two processes can never run two streams for one call.
 */
export const callStreamGrants = pgTable('call_stream_grants', {
  callId: uuid('call_id')
    .primaryKey()
    .references(() => calls.id, { onDelete: 'cascade' }),
  organizationId: orgId(),
  /** The nonce of the token that may still start a stream (null once used). */
  nonce: text('nonce'),
  /** Set while a stream runs for the call. */
  liveSince: timestamp('live_since', { withTimezone: true }),
  updatedAt: updatedAt(),
});

/**
 * `Idempotency-Key` of POST /api/prospects/:id/call: the call a key placed, so a retried request
 * answers with that call instead of dialling again (kept 24 hours).
 */
export const callIdempotencyKeys = pgTable(
  'call_idempotency_keys',
  {
    organizationId: orgId(),
    key: text('key').notNull(),
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.key] })],
);
