/**
 * A campaign's calling window (ISO weekdays, "HH:MM"–"HH:MM") read on each prospect's own wall
 * clock. Intl-based and DST-safe through calendar/zoned-time.ts: a window start inside a
 * spring-forward gap moves forward by the gap.
 */
import type { CampaignSchedule } from '@switchboard/shared';
import { formatInZone, localParts, zonedToInstant } from '../calendar/zoned-time.ts';

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** ISO weekday (1 = Monday … 7 = Sunday) from JS weekday (0 = Sunday). */
function isoWeekday(jsWeekday: number): number {
  return jsWeekday === 0 ? 7 : jsWeekday;
}

/** True when the prospect's wall clock at `instant` is on a listed day, at or after start and before end. */
export function isInWindow(schedule: CampaignSchedule, instant: Date, timeZone: string): boolean {
  const p = localParts(instant, timeZone);
  const minutes = p.hour * 60 + p.minute;
  return (
    schedule.days.includes(isoWeekday(p.weekday)) &&
    minutes >= minutesOf(schedule.start) &&
    minutes < minutesOf(schedule.end)
  );
}

/** `instant` itself when inside the window, else the next instant the window opens (null: no listed days). */
export function nextWindowStart(schedule: CampaignSchedule, instant: Date, timeZone: string): Date | null {
  if (isInWindow(schedule, instant, timeZone)) return instant;
  const p = localParts(instant, timeZone);
  for (let d = 0; d <= 8; d++) {
    const day = new Date(Date.UTC(p.year, p.month - 1, p.day + d));
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    if (!schedule.days.includes(isoWeekday(day.getUTCDay()))) continue;
    const start = zonedToInstant(date, minutesOf(schedule.start), timeZone);
    if (start.getTime() > instant.getTime()) return start;
  }
  return null;
}

/** The prospect's time zone, else the campaign's default. */
export function prospectZone(prospectTimezone: string | null | undefined, defaultTimezone: string): string {
  return prospectTimezone || defaultTimezone;
}

export function localTimeAt(instant: Date, timeZone: string): string {
  return formatInZone(instant, timeZone);
}
