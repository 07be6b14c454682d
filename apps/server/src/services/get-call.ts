import { callEvents, calls, type DbOrTx, transcriptSegments } from '@switchboard/db';
import { and, asc, eq } from 'drizzle-orm';
import { notFound } from '../errors.ts';
import type { CallEventRow, CallRow, TranscriptSegmentRow } from '../mappers/calls.ts';

/** The call with this id in this organization; 404 otherwise (also for other organizations' calls). */
export async function getCall(
  { db }: { db: DbOrTx },
  input: { organizationId: string; id: string },
): Promise<CallRow> {
  const [row] = await db
    .select()
    .from(calls)
    .where(and(eq(calls.organizationId, input.organizationId), eq(calls.id, input.id)))
    .limit(1);
  if (!row) throw notFound('Call');
  return row;
}

/** A call with its transcript and events, each in call-time order (ties in write order). */
export async function getCallDetail(
  { db }: { db: DbOrTx },
  input: { organizationId: string; id: string },
): Promise<{ call: CallRow; transcript: TranscriptSegmentRow[]; events: CallEventRow[] }> {
  const call = await getCall({ db }, input);
  const [transcript, events] = await Promise.all([
    db
      .select()
      .from(transcriptSegments)
      .where(
        and(
          eq(transcriptSegments.organizationId, input.organizationId),
          eq(transcriptSegments.callId, call.id),
        ),
      )
      .orderBy(asc(transcriptSegments.atMs), asc(transcriptSegments.id)),
    db
      .select()
      .from(callEvents)
      .where(and(eq(callEvents.organizationId, input.organizationId), eq(callEvents.callId, call.id)))
      .orderBy(asc(callEvents.atMs), asc(callEvents.id)),
  ]);
  return { call, transcript, events };
}
