import { type CountryCode, toE164 } from '@switchboard/shared';
import { validationFailed } from '../errors.ts';

/**
 * A typed phone number as E.164, reading national formats in the organization's country;
 * 400 `validation_failed` on `path` when it is not a possible number.
 */
export function normalizePhone(raw: string, country: CountryCode, path = 'phone'): string {
  const e164 = toE164(raw, country);
  if (!e164) {
    throw validationFailed([
      {
        path,
        message: `must be a valid phone number in E.164 format, e.g. +14155550100 (or a local ${country} number)`,
      },
    ]);
  }
  return e164;
}
