import type { TwilioParams } from './signature.ts';
import { rfc2822 } from './webhook.ts';

const API = '/2010-04-01';

/** Twilio REST error body (twilio-node `RestException`). */
export interface TwilioRestError {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function restError(status: number, code: number, message: string): TwilioRestError {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** A Call resource as the REST API returns it (snake_case; docs/telephony.md#rest-api). */
export type CallResource = {
  sid: string;
  account_sid: string;
  status: string;
  to: string;
  from: string;
  direction: string;
  [key: string]: unknown;
};

/** A Message resource (docs/telephony.md#rest-api). */
export type MessageResource = {
  sid: string;
  account_sid: string;
  status: string;
  to: string;
  from: string | null;
  body: string;
  [key: string]: unknown;
};

export function one(params: TwilioParams, key: string): string | undefined {
  const v = params[key];
  return Array.isArray(v) ? v[0] : v;
}

export function formatNumber(n: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(n);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : n;
}

export function isValidAddress(n: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(n) || /^client:\S+$/.test(n) || /^sip:\S+$/i.test(n);
}

export function newCallResource(accountSid: string, sid: string, params: TwilioParams): CallResource {
  const now = rfc2822();
  const to = one(params, 'To') ?? '';
  const from = one(params, 'From') ?? '';
  const uri = `${API}/Accounts/${accountSid}/Calls/${sid}`;
  return {
    sid,
    date_created: now,
    date_updated: now,
    parent_call_sid: null,
    account_sid: accountSid,
    to,
    to_formatted: formatNumber(to),
    from,
    from_formatted: formatNumber(from),
    phone_number_sid: null,
    status: 'queued',
    start_time: null,
    end_time: null,
    duration: null,
    price: null,
    price_unit: 'USD',
    direction: 'outbound-api',
    answered_by: null,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri: `${uri}.json`,
    subresource_uris: {
      feedback: `${uri}/Feedback.json`,
      user_defined_messages: `${uri}/UserDefinedMessages.json`,
      notifications: `${uri}/Notifications.json`,
      recordings: `${uri}/Recordings.json`,
      streams: `${uri}/Streams.json`,
      payments: `${uri}/Payments.json`,
      user_defined_message_subscriptions: `${uri}/UserDefinedMessageSubscriptions.json`,
      siprec: `${uri}/Siprec.json`,
      events: `${uri}/Events.json`,
      feedback_summaries: `${API}/Accounts/${accountSid}/Calls/FeedbackSummary.json`,
    },
  };
}

export function newMessageResource(accountSid: string, sid: string, params: TwilioParams): MessageResource {
  const now = rfc2822();
  const body = one(params, 'Body') ?? '';
  const media = params.MediaUrl;
  const numMedia = Array.isArray(media) ? media.length : media ? 1 : 0;
  const uri = `${API}/Accounts/${accountSid}/Messages/${sid}`;
  return {
    sid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    body,
    date_created: now,
    date_updated: now,
    date_sent: null,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: one(params, 'From') ?? null,
    messaging_service_sid: one(params, 'MessagingServiceSid') ?? null,
    num_media: String(numMedia),
    num_segments: String(Math.max(1, Math.ceil(body.length / 153))),
    price: null,
    price_unit: 'USD',
    status: one(params, 'MessagingServiceSid') && !one(params, 'From') ? 'accepted' : 'queued',
    to: one(params, 'To') ?? '',
    uri: `${uri}.json`,
    subresource_uris: { media: `${uri}/Media.json` },
  };
}

/** Required-field checks of `Calls.create` (Twilio error codes). */
export function validateCallCreate(params: TwilioParams): TwilioRestError | null {
  const to = one(params, 'To');
  if (!to) return restError(400, 21201, "No 'To' number is specified");
  if (!one(params, 'From')) return restError(400, 21213, "No 'From' number is specified");
  if (!one(params, 'Url') && !one(params, 'Twiml') && !one(params, 'ApplicationSid')) {
    return restError(400, 21205, 'Url parameter is required.');
  }
  if (!isValidAddress(to)) return restError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  return null;
}

/** Required-field checks of `Messages.create`. */
export function validateMessageCreate(params: TwilioParams): TwilioRestError | null {
  const to = one(params, 'To');
  if (!to) return restError(400, 21604, "A 'To' phone number is required.");
  if (!one(params, 'From') && !one(params, 'MessagingServiceSid')) {
    return restError(400, 21603, "A 'From' phone number is required.");
  }
  if (!one(params, 'Body') && !params.MediaUrl && !one(params, 'ContentSid')) {
    return restError(400, 21602, 'Message body is required.');
  }
  if (!isValidAddress(to)) return restError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  return null;
}

const FINAL = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export function isFinalCallStatus(status: string): boolean {
  return FINAL.has(status);
}
