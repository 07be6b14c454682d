import {
  DEFAULT_WEEKLY_HOURS,
  minutesOfDay,
  TIME_OF_DAY,
  WEEKDAYS,
  type WeeklyHours,
} from '@switchboard/shared';

/** What is wrong with one day's ranges (as the server would say it), or null. */
export function dayProblem(ranges: ReadonlyArray<readonly [string, string]>): string | null {
  for (const [open, close] of ranges) {
    if (!TIME_OF_DAY.test(open) || !TIME_OF_DAY.test(close)) return 'Enter times as HH:MM.';
    if (minutesOfDay(close) <= minutesOfDay(open)) return `${open}–${close} closes before it opens.`;
  }
  const sorted = [...ranges].sort((a, b) => minutesOfDay(a[0]) - minutesOfDay(b[0]));
  for (let i = 1; i < sorted.length; i++) {
    if (minutesOfDay(sorted[i]![0]) < minutesOfDay(sorted[i - 1]![1])) {
      return `${sorted[i - 1]!.join('–')} and ${sorted[i]!.join('–')} overlap.`;
    }
  }
  return null;
}

export function weekProblems(hours: WeeklyHours): boolean {
  return WEEKDAYS.some((day) => dayProblem(hours[day]) !== null);
}

/** A copy with every weekday present. */
export function completeWeek(hours: Partial<WeeklyHours> | null | undefined): WeeklyHours {
  const base = hours ?? DEFAULT_WEEKLY_HOURS;
  return Object.fromEntries(
    WEEKDAYS.map((d) => [d, (base[d] ?? []).map((r) => [...r] as [string, string])]),
  ) as WeeklyHours;
}

/** Per-day server errors (`businessHours.mon…`) from a validation error's issues. */
export function dayErrors(
  fieldErrors: Record<string, string>,
  prefix = 'businessHours',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const day = path.startsWith(`${prefix}.`) ? path.split('.')[1] : undefined;
    if (day && !out[day]) out[day] = message;
  }
  return out;
}
