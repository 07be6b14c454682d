/**
 * A final call's outcome as a disposition: the post-call disposition when analysis set one, else
 * the facts of the call (no answer, busy, failed, answered by a machine). null while not final.
 */
import { CALL_DISPOSITIONS, type CallDisposition, isFinalCallStatus } from '@switchboard/shared';

export interface CallFacts {
  status: string;
  disposition: string | null;
  answeredBy: string | null;
}

export function callOutcome(call: CallFacts): CallDisposition | null {
  if (!isFinalCallStatus(call.status)) return null;
  if (call.disposition && (CALL_DISPOSITIONS as readonly string[]).includes(call.disposition))
    return call.disposition as CallDisposition;
  if (call.status === 'no-answer') return 'no_answer';
  if (call.status === 'busy') return 'busy';
  if (call.status === 'failed' || call.status === 'canceled') return 'failed';
  if (call.answeredBy?.startsWith('machine') || call.answeredBy === 'fax') return 'voicemail_left';
  return 'other';
}
