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
  // Through JSON: `undefined` fields are dropped, as they would be on the wire.
  const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
  const [row] = await deps.db
    .insert(callEvents)
    .values({
      organizationId: call.organizationId,
      callId: call.id,
      type: event.type,
      atMs: Math.round(at),
      data,
    })
    .returning();
  if (row)
    deps.live.publish(call.organizationId, {
      type: 'call.event',
      callId: call.id,
      event: toCallEventJson(row),
    });
}
