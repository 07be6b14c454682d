/**
 * "Outcome" means one thing everywhere: the call's disposition (what came of it), with its
 * human label. Why the call ended is a different fact, shown beside it as "Ended because …".
 */
import type { CallDisposition, CallEndReason } from '@switchboard/shared';
import { humanize } from './format.ts';

export const DISPOSITION_LABELS: Record<CallDisposition, string> = {
  meeting_booked: 'Meeting booked',
  interested: 'Interested',
  not_interested: 'Not interested',
  callback_requested: 'Callback requested',
  do_not_call: 'Asked not to be called',
  voicemail_left: 'Voicemail left',
  no_answer: 'No answer',
  busy: 'Busy',
  failed: 'Failed',
  transferred: 'Transferred',
  wrong_number: 'Wrong number',
  other: 'Other',
};

/** Completes "Ended because …". */
const END_REASONS: Record<CallEndReason, string> = {
  caller_hangup: 'the caller hung up',
  socket_closed: 'the connection closed',
  agent_hangup: 'the agent hung up',
  transferred: 'the call was transferred',
  max_duration: 'the call reached its time limit',
  silence_timeout: 'no one spoke for too long',
  model_unavailable: 'the voice model was unavailable',
  model_disconnected: 'the voice model disconnected',
  no_agent: 'no agent answers this number',
  no_credentials: 'no model key is set',
  setup_failed: 'the call could not be set up',
  stream_lost: 'the audio stream was lost',
  voicemail: 'an answering machine answered',
  fax: 'a fax machine answered',
  completed: 'the call completed',
  busy: 'the line was busy',
  'no-answer': 'no one answered',
  failed: 'the call failed',
  canceled: 'the call was canceled',
  twilio_not_configured: 'Twilio is not set up',
  no_caller_id: 'there is no number to call from',
  twilio_auth_failed: 'Twilio rejected the credentials',
  twilio_error: 'Twilio reported an error',
  twilio_unavailable: 'Twilio could not be reached',
  public_url_missing: 'the public web address (PUBLIC_URL) is not set',
  sip_off: 'SIP is off on this server',
  sip_failed: 'the SIP trunk refused the call',
  server_restart: 'the server restarted during the call',
  capacity: 'too many calls were in progress',
};

/** The disposition's label, `—` when the call has none (yet). */
export function outcomeLabel(disposition: string | null | undefined): string {
  if (!disposition) return '—';
  return DISPOSITION_LABELS[disposition as CallDisposition] ?? humanize(disposition);
}

/** `the caller hung up` for `caller_hangup`; null when the call has not ended. */
export function endReasonText(reason: string | null | undefined): string | null {
  if (!reason) return null;
  return END_REASONS[reason as CallEndReason] ?? humanize(reason).toLowerCase();
}
