/** One vocabulary for a call's outcome, used by calls, campaigns and webhooks. */
export const CALL_DISPOSITIONS = [
  'meeting_booked',
  'interested',
  'not_interested',
  'callback_requested',
  'do_not_call',
  'voicemail_left',
  'no_answer',
  'busy',
  'failed',
  'transferred',
  'wrong_number',
  'other',
] as const;
export type CallDisposition = (typeof CALL_DISPOSITIONS)[number];
