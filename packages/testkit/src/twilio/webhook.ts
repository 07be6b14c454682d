import { randomUUID } from 'node:crypto';
import { twilioSid } from '../util/ids.ts';
import { encodeForm, type TwilioParams, twilioSignature } from './signature.ts';
import { type ParsedTwiml, parseTwiml } from './twiml.ts';

export type CallStatus =
  | 'queued'
  | 'initiated'
  | 'ringing'
  | 'in-progress'
  | 'completed'
  | 'busy'
  | 'failed'
  | 'no-answer'
  | 'canceled';

export type AnsweredBy =
  | 'human'
  | 'machine_start'
  | 'machine_end_beep'
  | 'machine_end_silence'
  | 'machine_end_other'
  | 'fax'
  | 'unknown';

export interface WebhookOptions {
  /** Where the request goes (e.g. `http://127.0.0.1:PORT/api/twiml/connect-stream`). */
  url: string;
  /** Auth token used for `X-Twilio-Signature`. */
  authToken: string;
  /** Parameters; they override the defaults of each helper. */
  params?: Record<string, string | string[]>;
  /** URL to sign when it differs from `url` (the public `https://` URL behind a proxy). */
  signatureUrl?: string;
  /** Send a wrong signature (the server must answer 403). */
  badSignature?: boolean;
  /** Send no `X-Twilio-Signature` header at all. */
  omitSignature?: boolean;
  /** `POST` (default, form body) or `GET` (parameters in the query string, signed as part of the URL). */
  method?: 'POST' | 'GET';
  /** Extra request headers. */
  headers?: Record<string, string>;
}

export interface WebhookResult {
  status: number;
  body: string;
  headers: Headers;
  /** Parsed TwiML when the body is a `<Response>` document, else null. */
  twiml: ParsedTwiml | null;
  /** Why `twiml` is null although the body looked like XML. */
  twimlError?: string;
  /** Exactly what was sent. */
  params: TwilioParams;
  signature: string;
}

/**
 * The voice webhook defaults (docs/telephony.md#voice-webhook); override any of them through
 * `params`.
 */
export function defaultVoiceParams(): Record<string, string> {
  const from = '+14155550100';
  const to = '+15005550006';
  return {
    AccountSid: twilioSid('AC'),
    ApiVersion: '2010-04-01',
    CallSid: twilioSid('CA'),
    CallStatus: 'ringing',
    Direction: 'inbound',
    From: from,
    Caller: from,
    To: to,
    Called: to,
    FromCountry: 'US',
    FromState: 'CA',
    FromCity: 'SAN FRANCISCO',
    FromZip: '94103',
    ToCountry: 'US',
    ToState: 'CA',
    ToCity: '',
    ToZip: '',
  };
}

/** RFC 2822 date as Twilio writes it: `Sat, 21 Nov 2026 01:50:09 +0000`. */
export function rfc2822(date = new Date()): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/**
 * Send a signed voice webhook the way Twilio does when a call arrives or an outbound call is
 * answered, and parse the TwiML reply. Caller/Called mirror From/To unless given.
 */
export async function sendVoiceWebhook(opts: WebhookOptions): Promise<WebhookResult> {
  const params: TwilioParams = { ...defaultVoiceParams(), ...opts.params };
  if (opts.params?.From && !opts.params.Caller) params.Caller = opts.params.From;
  if (opts.params?.To && !opts.params.Called) params.Called = opts.params.To;
  return sendTwilioRequest(opts, params);
}

/**
 * Call status callback (docs/telephony.md#call-status-callbacks): the standard parameters plus
 * `CallStatus`, `CallbackSource=call-progress-events`, `SequenceNumber`, `Timestamp` and, once
 * completed, `CallDuration` (seconds). Pass the call's `CallSid`/`AccountSid`/`Direction` in
 * `params`.
 */
export function sendStatusCallback(
  opts: WebhookOptions & { callStatus: CallStatus; sequenceNumber?: number; callDuration?: number },
): Promise<WebhookResult> {
  const params: TwilioParams = {
    ...defaultVoiceParams(),
    CallStatus: opts.callStatus,
    CallbackSource: 'call-progress-events',
    SequenceNumber: String(opts.sequenceNumber ?? 0),
    Timestamp: rfc2822(),
    ...(opts.callDuration !== undefined || opts.callStatus === 'completed'
      ? { CallDuration: String(opts.callDuration ?? 0) }
      : {}),
    ...opts.params,
  };
  return sendTwilioRequest(opts, params);
}

/**
 * Asynchronous answering-machine-detection callback
 * (docs/telephony.md#answering-machine-detection): `CallSid`, `AccountSid`, `AnsweredBy`,
 * `MachineDetectionDuration` (ms, string).
 */
export function sendAmdCallback(
  opts: WebhookOptions & { answeredBy: AnsweredBy; machineDetectionDuration?: number },
): Promise<WebhookResult> {
  const params: TwilioParams = {
    AccountSid: twilioSid('AC'),
    CallSid: twilioSid('CA'),
    AnsweredBy: opts.answeredBy,
    MachineDetectionDuration: String(opts.machineDetectionDuration ?? 2500),
    ...opts.params,
  };
  return sendTwilioRequest(opts, params);
}

/**
 * `<Stream statusCallback>` (docs/telephony.md#stream-status-callbacks; value list unverified
 * against twilio.com).
 */
export function sendStreamStatusCallback(
  opts: WebhookOptions & {
    streamEvent: 'stream-started' | 'stream-stopped' | 'stream-error';
    streamSid: string;
    streamError?: string;
  },
): Promise<WebhookResult> {
  const params: TwilioParams = {
    AccountSid: twilioSid('AC'),
    CallSid: twilioSid('CA'),
    StreamSid: opts.streamSid,
    StreamName: opts.streamSid,
    StreamEvent: opts.streamEvent,
    Timestamp: new Date().toISOString(),
    ...(opts.streamError ? { StreamError: opts.streamError } : {}),
    ...opts.params,
  };
  return sendTwilioRequest(opts, params);
}

/** Low-level: send `params` signed like Twilio to `opts.url`. */
export async function sendTwilioRequest(opts: WebhookOptions, params: TwilioParams): Promise<WebhookResult> {
  const method = opts.method ?? 'POST';
  let url = opts.url;
  let signedUrl = opts.signatureUrl ?? opts.url;
  let body: string | undefined;
  let signature: string;
  if (method === 'GET') {
    const query = encodeForm(params);
    const join = (u: string) => (query ? `${u}${u.includes('?') ? '&' : '?'}${query}` : u);
    url = join(url);
    signedUrl = join(signedUrl);
    signature = twilioSignature(opts.authToken, signedUrl, {});
  } else {
    body = encodeForm(params);
    signature = twilioSignature(opts.authToken, signedUrl, params);
  }
  if (opts.badSignature) signature = corrupt(signature);
  const headers: Record<string, string> = {
    'User-Agent': 'TwilioProxy/1.1',
    Accept: '*/*',
    'I-Twilio-Idempotency-Token': randomUUID(),
    ...(body !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}),
    ...(opts.omitSignature ? {} : { 'X-Twilio-Signature': signature }),
    ...opts.headers,
  };
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let twiml: ParsedTwiml | null = null;
  let twimlError: string | undefined;
  if (text.trimStart().startsWith('<')) {
    try {
      twiml = parseTwiml(text);
    } catch (error) {
      twimlError = error instanceof Error ? error.message : String(error);
    }
  }
  return { status: res.status, body: text, headers: res.headers, twiml, twimlError, params, signature };
}

function corrupt(signature: string): string {
  const first = signature[0] === 'A' ? 'B' : 'A';
  return first + signature.slice(1);
}
