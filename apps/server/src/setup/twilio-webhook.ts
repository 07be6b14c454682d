/**
 * Is each phone number bound to an agent pointed at this server in Twilio? Reads the numbers'
 * IncomingPhoneNumber resources (voice URL, status callback, SMS URL) through the Twilio REST
 * API with the organization's credentials, and sets them with one call when the owner asks.
 * The status callback matters: without it an inbound call whose stream never starts reaches a
 * final state only through the reconciler.
 */
import type { TwilioClient } from '../telephony/rest-client.ts';
import { describeTwilioError } from '../telephony/rest-client.ts';

/** The webhooks a number must have to reach this server. */
export interface ExpectedWebhooks {
  voiceUrl: string;
  statusCallback: string;
  smsUrl: string;
}

export function expectedWebhooks(publicUrl: string): ExpectedWebhooks {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    voiceUrl: `${base}/api/twiml/connect-stream`,
    statusCallback: `${base}/api/twiml/status`,
    smsUrl: `${base}/api/twiml/sms`,
  };
}

export type NumberWebhookState =
  | { e164: string; state: 'ok'; sid: string }
  | { e164: string; state: 'elsewhere'; sid: string; voiceUrl: string | null; statusCallback: string | null }
  | { e164: string; state: 'not_in_account' };

export type WebhookCheck =
  | { kind: 'checked'; numbers: NumberWebhookState[] }
  | { kind: 'unreadable'; message: string };

/** At most this many numbers are checked or set in one request (each is one REST call). */
export const MAX_NUMBERS = 10;

export async function checkNumberWebhooks(
  client: TwilioClient,
  numbers: string[],
  expected: ExpectedWebhooks,
): Promise<WebhookCheck> {
  const out: NumberWebhookState[] = [];
  try {
    for (const e164 of numbers.slice(0, MAX_NUMBERS)) {
      const [found] = await client.incomingPhoneNumbers.list({ phoneNumber: e164, limit: 1 });
      if (!found) out.push({ e164, state: 'not_in_account' });
      else if (found.voiceUrl === expected.voiceUrl && found.statusCallback === expected.statusCallback)
        out.push({ e164, state: 'ok', sid: found.sid });
      else
        out.push({
          e164,
          state: 'elsewhere',
          sid: found.sid,
          voiceUrl: found.voiceUrl || null,
          statusCallback: found.statusCallback || null,
        });
    }
  } catch (error) {
    return { kind: 'unreadable', message: describeTwilioError(error).message };
  }
  return { kind: 'checked', numbers: out };
}

export interface SetResult {
  phoneNumber: string;
  ok: boolean;
  message: string;
}

/** Points every given number's voice, status-callback and SMS webhooks at this server. */
export async function setNumberWebhooks(
  client: TwilioClient,
  numbers: string[],
  expected: ExpectedWebhooks,
): Promise<SetResult[]> {
  const results: SetResult[] = [];
  for (const e164 of numbers.slice(0, MAX_NUMBERS)) {
    try {
      const [found] = await client.incomingPhoneNumbers.list({ phoneNumber: e164, limit: 1 });
      if (!found) {
        results.push({ phoneNumber: e164, ok: false, message: notInAccount(e164) });
        continue;
      }
      await client.incomingPhoneNumbers(found.sid).update({
        voiceUrl: expected.voiceUrl,
        voiceMethod: 'POST',
        statusCallback: expected.statusCallback,
        statusCallbackMethod: 'POST',
        smsUrl: expected.smsUrl,
        smsMethod: 'POST',
      });
      results.push({
        phoneNumber: e164,
        ok: true,
        message: `Calls and texts to ${e164} now reach this server.`,
      });
    } catch (error) {
      const failure = describeTwilioError(error);
      results.push({
        phoneNumber: e164,
        ok: false,
        message: `Twilio did not accept the change for ${e164}: ${failure.message}`,
      });
    }
  }
  return results;
}

export function notInAccount(e164: string): string {
  return `${e164} is not a number of this Twilio account. Buy or port it in Twilio, or correct it in Settings → Phone numbers.`;
}
