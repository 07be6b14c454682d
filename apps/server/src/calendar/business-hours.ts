/**
 * Business hours: weekday → ["HH:MM", "HH:MM"] ranges in the calendar's local time (the API's
 * shape, stored as is). Agent hours override organization hours; the default is Monday–Friday
 * 09:00–17:00. Holidays (local dates) are closed all day.
 */
import type { BusinessHours } from '@switchboard/db';
import { DEFAULT_WEEKLY_HOURS, minutesOfDay, TIME_OF_DAY, WEEKDAYS } from '@switchboard/shared';
import { parseLocalDate, weekdayOf, zonedToInstant } from './zoned-time.ts';

export const DEFAULT_BUSINESS_HOURS: BusinessHours = DEFAULT_WEEKLY_HOURS;

/** Weekday names indexed by `weekdayOf` (0 = Sunday). */
const BY_WEEKDAY = ['sun', ...WEEKDAYS.slice(0, 6)] as const;

/** Parses ["09:00", "17:00"] into minutes of day; null when malformed, empty or inverted. */
export function parseRange(range: readonly [string, string]): { startMin: number; endMin: number } | null {
  const [open, close] = range;
  if (!TIME_OF_DAY.test(open) || !TIME_OF_DAY.test(close)) return null;
  const startMin = minutesOfDay(open);
  const endMin = minutesOfDay(close);
  if (endMin <= startMin) return null;
  return { startMin, endMin };
}

export interface Interval {
  start: Date;
  end: Date;
}

/** Open intervals (as instants) for one local date in a zone; none on a holiday. */
export function openIntervals(
  dateIso: string,
  hours: BusinessHours,
  timeZone: string,
  holidays: readonly string[] = [],
): Interval[] {
  const date = parseLocalDate(dateIso);
  if (!date || holidays.includes(dateIso)) return [];
  return (hours[BY_WEEKDAY[weekdayOf(date)]!] ?? [])
    .map(parseRange)
    .filter((r): r is { startMin: number; endMin: number } => r !== null)
    .map((r) => ({
      start: zonedToInstant(date, r.startMin, timeZone),
      end: zonedToInstant(date, r.endMin, timeZone),
    }));
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Slots of `durationMin` every `stepMin` inside the open intervals, skipping busy ones and the past. */
export function freeSlots(
  open: Interval[],
  busy: Interval[],
  durationMin: number,
  now: Date,
  stepMin = 30,
): Interval[] {
  const slots: Interval[] = [];
  for (const interval of open) {
    for (
      let t = interval.start.getTime();
      t + durationMin * 60_000 <= interval.end.getTime();
      t += stepMin * 60_000
    ) {
      const slot = { start: new Date(t), end: new Date(t + durationMin * 60_000) };
      if (slot.start <= now) continue;
      if (busy.some((b) => overlaps(slot, b))) continue;
      slots.push(slot);
    }
  }
  return slots;
}

/** True when [start, end) lies inside one open interval of the start's local day. */
export function withinHours(slot: Interval, open: Interval[]): boolean {
  return open.some((o) => slot.start >= o.start && slot.end <= o.end);
}
