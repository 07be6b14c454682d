import { z } from 'zod';
import { toE164 } from './phone.ts';

/** What a person is told when a phone number cannot be read (plain words; stored as E.164). */
export const PHONE_MESSAGE = 'Enter the number with its country code, like +1 415 555 0100 (E.164)';

export const uuidSchema = z.uuid({ message: 'must be a UUID' });
export const idParamsSchema = z.strictObject({ id: uuidSchema });

/** A phone number in any reasonable notation, normalised to E.164 or rejected with a clear message. */
export const phoneSchema = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const e164 = toE164(value);
    if (!e164) {
      ctx.addIssue({
        code: 'custom',
        message: PHONE_MESSAGE,
      });
      return z.NEVER;
    }
    return e164;
  });

/**
 * A phone number as a person types it: E.164, international, or the national format of the
 * organization's country. Checked for shape here; the server normalises it to E.164 with the
 * business profile's `defaultCountry` (400 on `phone` when it is not a possible number there).
 */
export const phoneInputSchema = z
  .string()
  .trim()
  .max(32)
  .refine((v) => /^[+\d\s().\-/]+$/.test(v) && (v.match(/\d/g)?.length ?? 0) >= 3, {
    message: PHONE_MESSAGE,
  });

export const timezoneSchema = z
  .string()
  .max(64)
  .refine(isTimezone, { message: 'must be an IANA time zone, e.g. America/New_York' });

export function isTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * ISO 8601 date-time that includes an explicit offset (Z or ±hh:mm), within years 0001-9999
 * (Postgres has no year 0, so `0000-01-01` must be a 400, not a database error).
 */
export const isoDateTimeSchema = z.iso
  .datetime({ offset: true, message: 'must be ISO 8601 with an offset' })
  .refine((value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= 1 && year <= 9999;
  }, 'must be between the years 0001 and 9999');

export const paginationSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function listResponse<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

export interface ListResponse<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Every 4xx/5xx body. */
export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
