/**
 * Status callbacks of the REST fake's calls, sent the way Twilio sends them
 * (docs/telephony.md#call-status-callbacks): a call created with `StatusCallback` (events from
 * `StatusCallbackEvent`, default `completed`) or updated with one (the update API takes no
 * events: `completed` only) gets a signed POST at each matching status change — `initiated`,
 * `ringing`, `answered` (in-progress) and `completed` (any final status) — with `CallStatus`,
 * `SequenceNumber` (0, 1, … per call), `Timestamp`, `Direction` and, once final, `CallDuration`.
 */
import type { CallResource } from './rest-resources.ts';
import { one } from './rest-resources.ts';
import type { TwilioParams } from './signature.ts';
import { type CallStatus, sendStatusCallback, type WebhookResult } from './webhook.ts';

export interface StatusCallbackSubscription {
  url: string;
  method: 'POST' | 'GET';
  events: string[];
  sent: number;
}

export interface SentStatusCallback {
  callSid: string;
  url: string;
  callStatus: string;
  sequenceNumber: number;
  /** The server's answer, or the error when it could not be reached. */
  result: WebhookResult | null;
  error?: string;
}

const FINAL = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** The subscription a create or update form asks for, or null when it names no `StatusCallback`. */
export function subscriptionFrom(form: TwilioParams, update: boolean): StatusCallbackSubscription | null {
  const url = one(form, 'StatusCallback');
  if (!url) return null;
  const method = one(form, 'StatusCallbackMethod')?.toUpperCase() === 'GET' ? 'GET' : 'POST';
  const asked = form.StatusCallbackEvent;
  const events = update || !asked ? ['completed'] : Array.isArray(asked) ? asked : asked.split(' ');
  return { url, method, events, sent: 0 };
}

/** The callback event a status change is, e.g. `in-progress` → `answered`, `busy` → `completed`. */
export function eventOf(status: string): string | null {
  if (FINAL.has(status)) return 'completed';
  if (status === 'in-progress') return 'answered';
  if (status === 'initiated' || status === 'ringing') return status;
  return null;
}

/** Sends the callback of `resource`'s status (now) when the subscription asks for that event. */
export async function deliverStatusCallback(
  subscription: StatusCallbackSubscription,
  resource: CallResource,
  options: { authToken: string; rewriteUrl: (url: string) => string },
): Promise<SentStatusCallback | null> {
  const event = eventOf(resource.status);
  if (!event || !subscription.events.includes(event)) return null;
  const sequenceNumber = subscription.sent++;
  const final = FINAL.has(resource.status);
  const sent: SentStatusCallback = {
    callSid: resource.sid,
    url: subscription.url,
    callStatus: resource.status,
    sequenceNumber,
    result: null,
  };
  try {
    sent.result = await sendStatusCallback({
      url: options.rewriteUrl(subscription.url),
      signatureUrl: subscription.url,
      authToken: options.authToken,
      method: subscription.method,
      callStatus: resource.status as CallStatus,
      sequenceNumber,
      ...(final ? { callDuration: Number(resource.duration ?? 0) } : {}),
      params: {
        CallSid: resource.sid,
        AccountSid: resource.account_sid,
        From: resource.from,
        Caller: resource.from,
        To: resource.to,
        Called: resource.to,
        Direction: resource.direction,
      },
    });
  } catch (error) {
    sent.error = error instanceof Error ? error.message : String(error);
  }
  return sent;
}
