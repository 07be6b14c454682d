import { createHmac } from 'node:crypto';

/** Form parameters as Twilio sends them; repeated keys are arrays. */
export type TwilioParams = Record<string, string | string[]>;

/**
 * `X-Twilio-Signature` exactly as Twilio computes it (docs/telephony.md#request-signatures,
 * twilio-node `getExpectedTwilioSignature`): the full URL, then every parameter name + value in
 * sorted name order (repeated keys: de-duplicated, sorted values), HMAC-SHA1 keyed by the auth
 * token, base64. For JSON-bodied webhooks and WebSocket upgrades pass `params = {}`.
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (Array.isArray(value)) {
      for (const v of [...new Set(value)].sort()) data += key + v;
    } else {
      data += key + (value ?? '');
    }
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

/** `application/x-www-form-urlencoded` body with repeated keys for arrays (twilio-node `arrayFormat: 'repeat'`). */
export function encodeForm(params: TwilioParams): string {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const v of value) body.append(key, v);
    else body.append(key, value);
  }
  return body.toString();
}

/** Parse a form body; a key that appears more than once becomes an array, in order. */
export function parseForm(body: string): TwilioParams {
  const out: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}
