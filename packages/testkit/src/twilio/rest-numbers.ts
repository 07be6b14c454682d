/**
 * The IncomingPhoneNumbers resource of Twilio's REST API, as far as the product uses it: list
 * (filtered by `PhoneNumber`), fetch and update one number's voice, status-callback and SMS
 * webhooks. Field names and the list envelope follow Twilio's 2010-04-01 API (snake_case,
 * `incoming_phone_numbers` with paging URIs), so the official SDK reads them unchanged.
 */
import { twilioSid } from '../util/ids.ts';
import { formatNumber, one, restError } from './rest-resources.ts';
import type { TwilioParams } from './signature.ts';
import { rfc2822 } from './webhook.ts';

const API = '/2010-04-01';

export type PhoneNumberResource = {
  sid: string;
  account_sid: string;
  phone_number: string;
  friendly_name: string;
  voice_url: string | null;
  voice_method: string;
  status_callback: string | null;
  status_callback_method: string;
  sms_url: string | null;
  sms_method: string;
  [key: string]: unknown;
};

/** Which webhook settings an update may change (form key → resource field). */
const UPDATABLE: Record<string, keyof PhoneNumberResource> = {
  VoiceUrl: 'voice_url',
  VoiceMethod: 'voice_method',
  StatusCallback: 'status_callback',
  StatusCallbackMethod: 'status_callback_method',
  SmsUrl: 'sms_url',
  SmsMethod: 'sms_method',
  FriendlyName: 'friendly_name',
};

export function newPhoneNumberResource(
  accountSid: string,
  e164: string,
  webhooks: Partial<Pick<PhoneNumberResource, 'voice_url' | 'status_callback' | 'sms_url'>> = {},
): PhoneNumberResource {
  const sid = twilioSid('PN');
  const now = rfc2822();
  return {
    sid,
    account_sid: accountSid,
    phone_number: e164,
    friendly_name: formatNumber(e164),
    voice_url: webhooks.voice_url ?? null,
    voice_method: 'POST',
    status_callback: webhooks.status_callback ?? null,
    status_callback_method: 'POST',
    sms_url: webhooks.sms_url ?? null,
    sms_method: 'POST',
    voice_fallback_url: null,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: now,
    date_updated: now,
    api_version: '2010-04-01',
    uri: `${API}/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`,
  };
}

export const NUMBERS_ROUTE = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers(?:\/([^/]+))?\.json$/;

/** Answers an IncomingPhoneNumbers request; `numbers` is the account's numbers (mutated by updates). */
export function routeNumbers(
  accountSid: string,
  numbers: PhoneNumberResource[],
  req: { method: string; path: string; query: TwilioParams; form: TwilioParams },
): [number, unknown] {
  const m = NUMBERS_ROUTE.exec(req.path);
  const notFound = restError(404, 20404, `The requested resource ${req.path} was not found`);
  if (!m || m[1] !== accountSid) return [404, notFound];
  const sid = m[2];
  if (!sid && req.method === 'GET') {
    const wanted = one(req.query, 'PhoneNumber');
    const items = wanted ? numbers.filter((n) => n.phone_number === wanted) : numbers;
    return [200, listEnvelope(accountSid, items, req.query)];
  }
  const number = numbers.find((n) => n.sid === sid);
  if (!number) return [404, notFound];
  if (req.method === 'GET') return [200, number];
  if (req.method === 'POST') {
    for (const [key, field] of Object.entries(UPDATABLE)) {
      const value = one(req.form, key);
      if (value === undefined) continue;
      if (/Url$|^StatusCallback$/.test(key) && value !== '' && !/^https?:\/\//.test(value)) {
        return [400, restError(400, 21502, `${key} is not valid`)];
      }
      (number as Record<string, unknown>)[field] = value === '' ? null : value;
    }
    number.date_updated = rfc2822();
    return [200, number];
  }
  return [405, restError(405, 20004, 'Method not allowed')];
}

function listEnvelope(accountSid: string, items: PhoneNumberResource[], query: TwilioParams) {
  const pageSize = Number(one(query, 'PageSize') ?? 50);
  const uri = `${API}/Accounts/${accountSid}/IncomingPhoneNumbers.json?PageSize=${pageSize}&Page=0`;
  return {
    incoming_phone_numbers: items.slice(0, pageSize),
    first_page_uri: uri,
    next_page_uri: null,
    previous_page_uri: null,
    page: 0,
    page_size: pageSize,
    start: 0,
    end: Math.max(0, Math.min(items.length, pageSize) - 1),
    uri,
  };
}
