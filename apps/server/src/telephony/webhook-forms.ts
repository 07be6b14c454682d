/**
 * The fields the server reads from Twilio's form-encoded webhooks (docs/telephony.md "Twilio
 * webhooks and TwiML"), checked at the edge: a value that is not one Twilio sends counts as absent.
 */
import { CALL_STATUSES, type CallStatus, toE164 } from '@switchboard/shared';
import { formValue, type TwilioForm } from './webhook-auth.ts';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
const ANSWERED_BY = [
  'human',
  'machine_start',
  'machine_end_beep',
  'machine_end_silence',
  'machine_end_other',
  'fax',
  'unknown',
];
const DIAL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'];

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | null {
  return value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : null;
}

/** A whole number ≥ 0, or null. */
function count(value: string | undefined): number | null {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= 0 ? n : null;
}

/** The voice webhook (a call to connect). `callSid` is null when it is not a Twilio call SID. */
export function voiceWebhookFields(form: TwilioForm) {
  const callSid = formValue(form, 'CallSid') ?? '';
  return {
    callSid: CALL_SID.test(callSid) ? callSid : null,
    from: formValue(form, 'From') ?? '',
    to: formValue(form, 'To') ?? '',
    direction: formValue(form, 'Direction') ?? 'inbound',
    callStatus: oneOf<CallStatus>(CALL_STATUSES, formValue(form, 'CallStatus')) ?? 'ringing',
  };
}
export type VoiceWebhookFields = ReturnType<typeof voiceWebhookFields>;

/** A call status callback. */
export function statusCallbackFields(form: TwilioForm) {
  return {
    callSid: formValue(form, 'CallSid') ?? '',
    callStatus: oneOf<CallStatus>(CALL_STATUSES, formValue(form, 'CallStatus')),
    sequenceNumber: count(formValue(form, 'SequenceNumber')),
    callDurationS: count(formValue(form, 'CallDuration')),
    answeredBy: formValue(form, 'AnsweredBy'),
  };
}
export type StatusCallbackFields = ReturnType<typeof statusCallbackFields>;

/** The asynchronous answering-machine-detection callback; `answeredBy` null when unknown. */
export function amdCallbackFields(form: TwilioForm) {
  const duration = Number(formValue(form, 'MachineDetectionDuration'));
  return {
    callSid: formValue(form, 'CallSid'),
    answeredBy: oneOf(ANSWERED_BY, formValue(form, 'AnsweredBy')),
    detectionMs: Number.isFinite(duration) && duration >= 0 ? Math.round(duration) : null,
  };
}
export type AmdCallbackFields = ReturnType<typeof amdCallbackFields>;

/** The `<Dial action>` callback of a transfer; `dialStatus` null when unknown. */
export function dialCallbackFields(form: TwilioForm) {
  return {
    callSid: formValue(form, 'CallSid') ?? '',
    dialStatus: oneOf(DIAL_STATUSES, formValue(form, 'DialCallStatus')),
    durationS: count(formValue(form, 'DialCallDuration')),
  };
}
export type DialCallbackFields = ReturnType<typeof dialCallbackFields>;

/** The recording callback of a message left after the apology; `url` null unless it was stored. */
export function recordingCallbackFields(form: TwilioForm) {
  const url = formValue(form, 'RecordingUrl');
  return { url: url && formValue(form, 'RecordingStatus') !== 'failed' ? url : null };
}

const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

/** The messaging webhook (a text to one of our numbers). Numbers are E.164 or null; the body is capped. */
export function inboundSmsFields(form: TwilioForm) {
  const sid = formValue(form, 'MessageSid') ?? formValue(form, 'SmsSid') ?? '';
  return {
    messageSid: MESSAGE_SID.test(sid) ? sid : null,
    from: toE164(formValue(form, 'From') ?? ''),
    to: toE164(formValue(form, 'To') ?? ''),
    body: (formValue(form, 'Body') ?? '').slice(0, 1600),
  };
}
