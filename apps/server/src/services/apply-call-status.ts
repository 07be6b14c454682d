/**
 * Twilio call status callbacks. Idempotent and safe out of order: a callback whose
 * SequenceNumber is not newer than the last one applied changes nothing, and a final status
 * (completed, busy, no-answer, failed, canceled) is never replaced by a non-final one.
 */
import { calls, type DbOrTx } from '@switchboard/db';
import { FINAL_CALL_STATUSES } from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import type { CallRow } from '../mappers/calls.ts';

const FINAL = new Set<string>(FINAL_CALL_STATUSES);

export interface StatusCallback {
  callStatus: string;
  sequenceNumber: number | null;
  callDurationS: number | null;
  answeredBy?: string | undefined;
  recordingUrl?: string | undefined;
  at: Date;
}

/** Returns the updated row, or null when the callback was stale or a duplicate. */
export async function applyCallStatus(
  { db }: { db: DbOrTx },
  call: CallRow,
  update: StatusCallback,
): Promise<CallRow | null> {
  const wasFinal = FINAL.has(call.status);
  const isFinal = FINAL.has(update.callStatus);
  if (update.sequenceNumber !== null && update.sequenceNumber <= call.lastStatusSeq) return null;
  if (wasFinal && !isFinal) return null;

  const values: Partial<typeof calls.$inferInsert> = { updatedAt: update.at };
  // A call we marked failed (the AI broke) stays failed when Twilio later reports `completed`.
  const failedByUs = call.status === 'failed' && call.error !== null;
  if (!failedByUs) values.status = update.callStatus;
  if (update.sequenceNumber !== null) values.lastStatusSeq = update.sequenceNumber;
  if (update.callStatus === 'in-progress' && !call.answeredAt) values.answeredAt = update.at;
  if (isFinal) {
    values.endedAt = call.endedAt ?? update.at;
    if (update.callDurationS !== null) values.durationS = update.callDurationS;
    if (!call.endReason)
      values.endReason = update.callStatus === 'completed' ? 'completed' : update.callStatus;
    // An outbound call nobody picked up: the outcome is the disposition (no_answer, busy, failed, canceled).
    if (
      call.direction === 'outbound' &&
      !call.disposition &&
      !call.answeredAt &&
      update.callStatus !== 'completed'
    )
      values.disposition = update.callStatus.replace('-', '_');
  }
  if (update.answeredBy && !call.answeredBy) values.answeredBy = update.answeredBy;
  if (update.recordingUrl) values.recordingUrl = update.recordingUrl;
  const [row] = await db.update(calls).set(values).where(eq(calls.id, call.id)).returning();
  return row ?? null;
}
