/** Admission state that must hold across processes (docs/security.md). */
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { calls } from './calls.ts';
import { createdAt, orgId, updatedAt } from './columns.ts';
import { apiKeys, users } from './organization.ts';

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

/**
 * Short single-use tickets (POST /api/auth/ticket) that open an event stream or a browser test
 * call instead of a bearer token in the URL: valid 60 s, consumed by one conditional UPDATE so
 * two processes cannot both accept one. Bound to the principal (a user's session at its token
 * version, or an API key) and the organization.
 */
export const authTickets = pgTable(
  'auth_tickets',
  {
    /** SHA-256 hex of the ticket; the ticket itself is returned once and never stored. */
    ticketHash: text('ticket_hash').primaryKey(),
    organizationId: orgId(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    /** The session's token version and id (`tv`, `sid`) when minted by a session. */
    tokenVersion: integer('token_version'),
    sessionId: text('session_id'),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('auth_tickets_expires_idx').on(t.expiresAt)],
);
