import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/min';

export type { CountryCode };

/**
 * Normalises a phone number to E.164. Accepts E.164, `00` international prefixes and
 * national formats for `defaultCountry` (default US; the organization's business profile
 * names its own). Returns null when the number is not a possible phone number (length and
 * country code are checked; carrier validity is not, so test and fictional ranges like
 * 555-01xx are accepted).
 */
export function toE164(input: string, defaultCountry: CountryCode = 'US'): string | null {
  const trimmed = input.trim().replace(/^00/, '+');
  if (trimmed.length === 0 || trimmed.length > 32 || /[a-z]/i.test(trimmed)) return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed?.isPossible()) return null;
  return parsed.number;
}

export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

/**
 * The country (ISO 3166-1 alpha-2) an E.164 number belongs to, from its calling code and area
 * or prefix. A number whose range does not tell the country apart (an unassigned range of a
 * shared calling code) counts as the calling code's main country (+1 → US, +44 → GB). Null
 * when it is not a phone number.
 */
export function phoneCountry(e164: string): CountryCode | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  return parsed.country ?? parsed.getPossibleCountries()[0] ?? null;
}

/**
 * An E.164 number as people read it, for display only (`+44 20 7946 0958`); what is stored
 * stays E.164. Returns the input unchanged when it cannot be parsed.
 */
export function formatPhoneInternational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
