/**
 * Twilio call status callbacks (POST /api/twiml/status). Idempotent and safe out of order: a
 * callback whose SequenceNumber is not newer than the last one applied changes nothing, and a
 * final status (completed, busy, no-answer, failed, canceled) is never replaced by a non-final
 * one — checked again in the update itself, so a callback read before another write cannot
 * overwrite it. A final status ends the call through call-record/end-call.ts.
 */
import { calls } from '@switchboard/db';
import { FINAL_CALL_STATUSES, isFinalCallStatus } from '@switchboard/shared';
import { and, lt, notInArray } from 'drizzle-orm';
import { endCall } from '../call-record/end-call.ts';
import { type CallValues, type RecordDeps, updateCall } from '../call-record/update-call.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { StatusCallbackFields } from '../telephony/webhook-forms.ts';

/**
 * Returns the updated row, or null when the callback was stale, a duplicate or not for this call.
 * `call` is the row as just read: a final status ends the call deciding from it (a row changed
 * since costs a second read, never a wrong write: end-call.ts writes conditionally).
 */
export async function applyCallStatus(
  deps: RecordDeps,
  call: CallRow | null,
  update: StatusCallbackFields,
): Promise<CallRow | null> {
  if (!call) return null;
  if (call.providerCallSid && update.callSid && call.providerCallSid !== update.callSid) return null;
  const status = update.callStatus ?? call.status;
  const final = isFinalCallStatus(status);
  if (update.sequenceNumber !== null && update.sequenceNumber <= call.lastStatusSeq) return null;
  if (isFinalCallStatus(call.status) && !final) return null;

  const progress: CallValues = {};
  if (update.sequenceNumber !== null) progress.lastStatusSeq = update.sequenceNumber;
  if (status === 'in-progress' && !call.answeredAt) progress.answeredAt = deps.clock();
  if (update.answeredBy && !call.answeredBy) progress.answeredBy = update.answeredBy;
  if (final) {
    return endCall(
      deps,
      call,
      { kind: 'twilio', status, durationS: update.callDurationS },
      { also: progress, current: call },
    );
  }
  // One conditional statement: a final status or a newer callback written meanwhile (by another
  // process, or the stream's own end) is never overwritten by this one.
  const onlyIf = and(
    notInArray(calls.status, [...FINAL_CALL_STATUSES]),
    update.sequenceNumber !== null ? lt(calls.lastStatusSeq, update.sequenceNumber) : undefined,
  );
  return updateCall(deps, call, { ...progress, status }, onlyIf);
}
