/**
 * The disposition the facts decide, without a model (docs/post-call.md "Disposition"): a carrier
 * outcome (no answer, busy, failed), a voicemail left or an answering machine, a booking made
 * during the call, a transfer answered. Null: the model decides from the conversation.
 */
import { CALL_DISPOSITIONS, type CallDisposition } from '@switchboard/shared';
import type { CallEventRow, CallRow } from '../mappers/calls.ts';

const FACT_DISPOSITIONS = new Set<string>(['no_answer', 'busy', 'failed', 'voicemail_left', 'transferred']);

export function isCallDisposition(value: string | null): value is CallDisposition {
  return value !== null && (CALL_DISPOSITIONS as readonly string[]).includes(value);
}

export function factDisposition(
  call: Pick<CallRow, 'disposition' | 'answeredBy' | 'endReason'>,
  events: Array<Pick<CallEventRow, 'type' | 'data'>>,
): CallDisposition | null {
  if (call.disposition && FACT_DISPOSITIONS.has(call.disposition)) return call.disposition as CallDisposition;
  const booked = events.some(
    (e) => e.type === 'tool_call' && e.data.name === 'book_appointment' && e.data.ok === true,
  );
  if (booked) return 'meeting_booked';
  if (events.some((e) => e.type === 'voicemail')) return 'voicemail_left';
  if (call.answeredBy?.startsWith('machine') || call.answeredBy === 'fax') return 'voicemail_left';
  const transferred = events.some(
    (e) =>
      e.type === 'transfer_result' &&
      (e.data.connected === true || e.data.status === 'answered' || e.data.status === 'completed'),
  );
  if (transferred || call.endReason === 'transferred') return 'transferred';
  return null;
}
