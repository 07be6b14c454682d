/**
 * A timeline event recorded outside a running session (an AMD result, a transfer outcome, a
 * voicemail read by Twilio). Its `atMs` continues the call's timeline: never before the latest
 * event, else the time since the call was answered.
 */
import { callEvents, type DbOrTx } from '@switchboard/db';
import { and, eq, max } from 'drizzle-orm';
import type { LiveBus } from '../live/bus.ts';
import { type CallRow, toCallEventJson } from '../mappers/calls.ts';

export async function recordCallEvent(
  deps: { db: DbOrTx; live: LiveBus; clock: () => Date },
  call: Pick<CallRow, 'id' | 'organizationId' | 'answeredAt'>,
  type: string,
  data: Record<string, unknown>,
): Promise<void> {
  const [latest] = await deps.db
    .select({ atMs: max(callEvents.atMs) })
    .from(callEvents)
    .where(and(eq(callEvents.organizationId, call.organizationId), eq(callEvents.callId, call.id)));
  const sinceAnswer = call.answeredAt ? deps.clock().getTime() - call.answeredAt.getTime() : 0;
  const atMs = Math.max(latest?.atMs ?? 0, Math.round(sinceAnswer));
  const [row] = await deps.db
    .insert(callEvents)
    .values({ organizationId: call.organizationId, callId: call.id, type, atMs, data })
    .returning();
  if (row)
    deps.live.publish(call.organizationId, {
      type: 'call.event',
      callId: call.id,
      event: toCallEventJson(row),
    });
}
