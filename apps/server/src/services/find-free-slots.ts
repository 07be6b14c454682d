/**
 * Free slots for one local date in the agent's time zone: business hours (agent, else
 * organization, else Monday–Friday 9–5) minus busy time from every calendar, never in the past.
 * When the day has no free slot, the first free slot of the next 14 days is returned too, so the
 * agent can offer something instead of a dead end.
 */
import { freeSlots, type Interval, openIntervals } from '../calendar/business-hours.ts';
import { openOrgCalendar } from '../calendar/org-calendar.ts';
import { loadSchedule } from '../calendar/schedule.ts';
import { parseLocalDate } from '../calendar/zoned-time.ts';
import type { Config } from '../config.ts';
import type { IntegrationDeps } from '../integrations/settings.ts';

export type CalendarDeps = IntegrationDeps & { config: Config; clock: () => Date };

const LOOKAHEAD_DAYS = 14;

export interface FreeSlotsInput {
  organizationId: string;
  agentId: string | null;
  /** Local date, YYYY-MM-DD. */
  date: string;
  durationMinutes: number;
  /** At most this many slots are returned (default 12); `totalFree` counts them all. */
  maxSlots?: number;
  signal?: AbortSignal;
}

export interface FreeSlotsResult {
  date: string;
  timeZone: string;
  durationMinutes: number;
  /** The business is open on that date at all. */
  open: boolean;
  slots: Interval[];
  totalFree: number;
  /** Only when `slots` is empty: the first free slot within the next 14 days. */
  nextAvailable: Interval | null;
  provider: 'builtin' | 'google';
}

/** YYYY-MM-DD `days` after a local date. */
export function addDays(date: string, days: number): string {
  const d = parseLocalDate(date);
  if (!d) throw new Error(`not a date: ${date}`);
  return new Date(Date.UTC(d.year, d.month - 1, d.day + days)).toISOString().slice(0, 10);
}

/** Slot starts every 30 minutes (15 for meetings shorter than that). */
export function slotStepMinutes(durationMinutes: number): number {
  return durationMinutes < 30 ? 15 : 30;
}

export async function findFreeSlots(deps: CalendarDeps, input: FreeSlotsInput): Promise<FreeSlotsResult> {
  const schedule = await loadSchedule(deps.db, input);
  const calendar = await openOrgCalendar(deps, input.organizationId);
  const now = deps.clock();
  const step = slotStepMinutes(input.durationMinutes);
  const slotsOn = async (open: Interval[]) => {
    if (open.length === 0) return [];
    const busy = await calendar.busy(open[0]!.start, open.at(-1)!.end, input.signal);
    return freeSlots(open, busy, input.durationMinutes, now, step);
  };

  const open = openIntervals(input.date, schedule.hours, schedule.timeZone, schedule.holidays);
  const all = await slotsOn(open);
  let nextAvailable: Interval | null = null;
  if (all.length === 0) {
    const later: Interval[] = [];
    for (let day = 1; day <= LOOKAHEAD_DAYS; day++) {
      later.push(
        ...openIntervals(addDays(input.date, day), schedule.hours, schedule.timeZone, schedule.holidays),
      );
    }
    nextAvailable = (await slotsOn(later))[0] ?? null;
  }
  return {
    date: input.date,
    timeZone: schedule.timeZone,
    durationMinutes: input.durationMinutes,
    open: open.length > 0,
    slots: all.slice(0, input.maxSlots ?? 12),
    totalFree: all.length,
    nextAvailable,
    provider: calendar.provider,
  };
}
