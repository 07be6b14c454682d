import { type CountryCode, PHONE_MESSAGE, toE164 } from '@switchboard/shared';
import { validationFailed } from '../errors.ts';

/** The plain-words message for a number that cannot be read, naming the organization's country. */
export function phoneMessage(country: CountryCode): string {
  return `${PHONE_MESSAGE}, or a local ${country} number`;
}

/**
 * A typed phone number as E.164, reading national formats in the organization's country;
 * 400 `validation_failed` on `path` when it is not a possible number.
 */
export function normalizePhone(raw: string, country: CountryCode, path = 'phone'): string {
  const e164 = toE164(raw, country);
  if (!e164) throw validationFailed([{ path, message: phoneMessage(country) }]);
  return e164;
}
