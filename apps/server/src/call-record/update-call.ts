/**
 * The one writer of the `calls` row: a new call goes in through `createCall`, every change
 * through `updateCall` (with `updatedAt`), and each write is published to live dashboards as
 * `call.updated`. Writes are scoped by the call's organization.
 */
import { calls, type DbOrTx } from '@switchboard/db';
import { and, eq, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { type CallRow, toCallJson } from '../mappers/calls.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';

/**
 * What writing a call record takes: the database, the live bus and the clock. Ending a call
 * also starts the post-call work (analysis, webhooks) when the queue, config and log are given
 * (every server path passes the app context; a bare record writer in a test does not).
 */
export type RecordDeps = Pick<AppContext, 'live' | 'clock'> & { db: DbOrTx } & Partial<
    Pick<AppContext, 'jobs' | 'config' | 'log'>
  >;

export type NewCall = typeof calls.$inferInsert;
/** A change to a call row (its id, organization and creation time never change). */
export type CallValues = Partial<Omit<NewCall, 'id' | 'organizationId' | 'createdAt' | 'updatedAt'>>;

type CallKey = Pick<CallRow, 'id' | 'organizationId'>;

/** Inserts a call row; null when its provider CallSid is already taken (a retried webhook). */
export async function createCall(deps: RecordDeps, values: NewCall): Promise<CallRow | null> {
  const [row] = await deps.db
    .insert(calls)
    .values(values)
    .onConflictDoNothing({ target: calls.providerCallSid })
    .returning();
  if (row) deps.live.publish(row.organizationId, { type: 'call.updated', call: toCallJson(row) });
  return row ?? null;
}

/**
 * Applies `values` to the call; the updated row, or null when the call is gone (or `onlyIf`, a
 * condition checked in the same statement, does not hold: a write that must not race another).
 */
export async function updateCall(
  deps: RecordDeps,
  call: CallKey,
  values: CallValues,
  onlyIf?: SQL,
): Promise<CallRow | null> {
  const [row] = await deps.db
    .update(calls)
    .set({ ...values, updatedAt: deps.clock() })
    .where(and(eq(calls.id, call.id), eq(calls.organizationId, call.organizationId), onlyIf))
    .returning();
  if (row) deps.live.publish(row.organizationId, { type: 'call.updated', call: toCallJson(row) });
  // Callers set `answeredAt` only while it is null: this is the moment the call was answered.
  if (row && values.answeredAt) {
    await emitWebhookEvent(deps, row.organizationId, 'call.started', { call: toCallJson(row) });
  }
  return row ?? null;
}

/** The call row as it is now. */
export async function loadCall(db: DbOrTx, call: CallKey): Promise<CallRow | null> {
  const [row] = await db
    .select()
    .from(calls)
    .where(and(eq(calls.id, call.id), eq(calls.organizationId, call.organizationId)))
    .limit(1);
  return row ?? null;
}
