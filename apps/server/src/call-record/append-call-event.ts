/**
 * Appends one event to a call's timeline and publishes it live (`call.event`). Its `atMs` is
 * given by a running stream's clock, else taken where the timeline is now (timeline.ts).
 */
import { callEvents } from '@switchboard/db';
import type { CallEventInput } from '@switchboard/shared';
import { type CallRow, toCallEventJson } from '../mappers/calls.ts';
import { timelineNow } from './timeline.ts';
import type { RecordDeps } from './update-call.ts';

export async function appendCallEvent(
  deps: RecordDeps,
  call: Pick<CallRow, 'id' | 'organizationId' | 'answeredAt'>,
  event: CallEventInput,
  atMs?: number,
): Promise<void> {
  const at = atMs ?? (await timelineNow(deps.db, call, deps.clock()));
  const [row] = await deps.db
    .insert(callEvents)
    .values(callEventValues(call, event, at))
    .returning();
  if (row) publishCallEvent(deps.live, row);
}

/** The row of one timeline event at `atMs` (also what the write batcher inserts). */
export function callEventValues(
  call: Pick<CallRow, 'id' | 'organizationId'>,
  event: CallEventInput,
  atMs: number,
): typeof callEvents.$inferInsert {
  return {
    organizationId: call.organizationId,
    callId: call.id,
    type: event.type,
    atMs: Math.round(atMs),
    // Through JSON: `undefined` fields are dropped, as they would be on the wire.
    data: JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>,
  };
}

/** Tells live dashboards about a written event (`call.event`). */
export function publishCallEvent(live: RecordDeps['live'], row: typeof callEvents.$inferSelect): void {
  live.publish(row.organizationId, { type: 'call.event', callId: row.callId, event: toCallEventJson(row) });
}
