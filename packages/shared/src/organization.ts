/**
 * The business profile (`GET/PATCH /api/organization`): name, time zone, weekly business hours,
 * holidays, the country local phone numbers are read in, and how long recordings and transcripts
 * are kept. Hours are `{ mon: [["09:00","17:00"]], … }` in the organization's local time; a day
 * with no range is closed. An agent may override the weekly hours (agents.businessHours).
 */
import { getCountries, isSupportedCountry } from 'libphonenumber-js/min';
import { z } from 'zod';
import { timezoneSchema } from './common.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "HH:MM", 00:00–24:00 (24:00 only as an end: open until midnight). */
export const TIME_OF_DAY = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export function minutesOfDay(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

const timeSchema = z.string().regex(TIME_OF_DAY, 'must be a time of day, HH:MM (00:00-24:00)');

/** One opening range, [open, close); close after open. */
export const hoursRangeSchema = z
  .tuple([timeSchema, timeSchema])
  .refine(([open, close]) => minutesOfDay(close) > minutesOfDay(open), {
    message: 'closes before it opens (inverted range)',
  })
  .refine(([open]) => open !== '24:00', { message: 'cannot open at 24:00' });

const dayHoursSchema = z
  .array(hoursRangeSchema)
  .max(6, 'at most 6 ranges a day')
  .superRefine((ranges, ctx) => {
    const sorted = [...ranges].sort((a, b) => minutesOfDay(a[0]) - minutesOfDay(b[0]));
    for (let i = 1; i < sorted.length; i++) {
      if (minutesOfDay(sorted[i]![0]) < minutesOfDay(sorted[i - 1]![1])) {
        ctx.addIssue({
          code: 'custom',
          message: `ranges overlap (${sorted[i - 1]!.join('-')} and ${sorted[i]!.join('-')})`,
        });
        return;
      }
    }
  })
  .transform((ranges) => [...ranges].sort((a, b) => minutesOfDay(a[0]) - minutesOfDay(b[0])));

/** Every weekday's ranges (absent days are closed). */
export const weeklyHoursSchema = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayHoursSchema.default([])])) as Record<
    Weekday,
    z.ZodDefault<typeof dayHoursSchema>
  >,
);
export type WeeklyHours = Record<Weekday, Array<[string, string]>>;

export const DEFAULT_WEEKLY_HOURS: WeeklyHours = {
  mon: [['09:00', '17:00']],
  tue: [['09:00', '17:00']],
  wed: [['09:00', '17:00']],
  thu: [['09:00', '17:00']],
  fri: [['09:00', '17:00']],
  sat: [],
  sun: [],
};

/** Every weekday present (absent days closed). */
export function fullWeek(hours: Partial<WeeklyHours>): WeeklyHours {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, hours[day] ?? []])) as WeeklyHours;
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isLocalDate(value: string): boolean {
  if (!LOCAL_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export const localDateSchema = z.string().refine(isLocalDate, { message: 'must be a date, YYYY-MM-DD' });

/** Days the business is closed all day; de-duplicated and sorted. */
export const holidaysSchema = z
  .array(localDateSchema)
  .max(400, 'at most 400 holidays')
  .transform((days) => [...new Set(days)].sort());

/** ISO 3166-1 alpha-2 country whose national format local numbers are typed in. */
export const countrySchema = z
  .string()
  .transform((v) => v.trim().toUpperCase())
  .refine((v) => isSupportedCountry(v), { message: 'must be a two-letter country code, e.g. US, GB, DE' });

/** Every country phone numbers can be read in (ISO 3166-1 alpha-2). */
export const PHONE_COUNTRIES: readonly string[] = getCountries();

const retentionDays = z
  .number()
  .int()
  .min(1, 'must be at least 1 day')
  .max(3650, 'at most 3650 days')
  .nullable();

/** Days after a call ends before its recording / transcript is deleted; null keeps them. */
export const retentionSchema = z.strictObject({
  recordingsDays: retentionDays.default(null),
  transcriptsDays: retentionDays.default(null),
});
export type Retention = z.infer<typeof retentionSchema>;
/** A PATCH changes only the fields it names. */
const retentionPatchSchema = z
  .strictObject({ recordingsDays: retentionDays, transcriptsDays: retentionDays })
  .partial();

export const businessProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  businessHours: z.record(z.enum(WEEKDAYS), z.array(z.tuple([z.string(), z.string()]))),
  holidays: z.array(z.string()),
  defaultCountry: z.string(),
  retention: z.object({ recordingsDays: z.number().nullable(), transcriptsDays: z.number().nullable() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BusinessProfile = z.infer<typeof businessProfileSchema>;

export const updateBusinessProfileSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'is required').max(200),
    timezone: timezoneSchema,
    businessHours: weeklyHoursSchema,
    holidays: holidaysSchema,
    defaultCountry: countrySchema,
    retention: retentionPatchSchema,
  })
  .partial();
export type UpdateBusinessProfile = z.input<typeof updateBusinessProfileSchema>;
