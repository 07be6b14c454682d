/**
 * Business hours: weekday (0 = Sunday) → "HH:MM-HH:MM" ranges in the calendar's local time.
 * Agent hours override organization hours; the default is Monday–Friday 09:00–17:00.
 */
import type { BusinessHours } from '@switchboard/db';
import { parseLocalDate, weekdayOf, zonedToInstant } from './zoned-time.ts';

export const DEFAULT_BUSINESS_HOURS: BusinessHours = {
  '1': ['09:00-17:00'],
  '2': ['09:00-17:00'],
  '3': ['09:00-17:00'],
  '4': ['09:00-17:00'],
  '5': ['09:00-17:00'],
};

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** Parses "09:00-17:00" into minutes of day; null when malformed or empty. */
export function parseRange(range: string): { startMin: number; endMin: number } | null {
  const m = RANGE.exec(range);
  if (!m) return null;
  const startMin = Number(m[1]) * 60 + Number(m[2]);
  const endMin = Number(m[3]) * 60 + Number(m[4]);
  if (endMin <= startMin || endMin > 24 * 60) return null;
  return { startMin, endMin };
}

export interface Interval {
  start: Date;
  end: Date;
}

/** Open intervals (as instants) for one local date in a zone. */
export function openIntervals(dateIso: string, hours: BusinessHours, timeZone: string): Interval[] {
  const date = parseLocalDate(dateIso);
  if (!date) return [];
  const key = String(weekdayOf(date)) as keyof BusinessHours;
  return (hours[key] ?? [])
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
