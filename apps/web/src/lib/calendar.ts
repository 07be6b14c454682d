import { addDays, startOfDay } from './format.ts';

export interface Placed<T> {
  item: T;
  /** Position within the visible hours, as percentages of the day column. */
  topPct: number;
  heightPct: number;
}

/**
 * Groups appointments into the 7 days of a week (local time) and positions each within the
 * visible hours. The visible range is 8:00–18:00, widened to fit anything earlier or later.
 */
export function layoutWeek<T extends { start: string; end: string }>(
  weekStart: Date,
  items: readonly T[],
): { days: { date: Date; items: Placed<T>[] }[]; fromHour: number; toHour: number } {
  let fromHour = 8;
  let toHour = 18;
  const weekEnd = addDays(weekStart, 7);
  const inWeek = items.filter((a) => {
    const s = new Date(a.start);
    return s >= weekStart && s < weekEnd;
  });
  for (const a of inWeek) {
    const s = new Date(a.start);
    const e = new Date(a.end);
    fromHour = Math.min(fromHour, s.getHours());
    const endsNextDay = startOfDay(e).getTime() > startOfDay(s).getTime();
    toHour = Math.max(toHour, endsNextDay ? 24 : Math.ceil(e.getHours() + e.getMinutes() / 60));
  }
  const span = (toHour - fromHour) * 60;
  const days = Array.from({ length: 7 }, (_, i) => {
    const date = addDays(weekStart, i);
    const next = addDays(date, 1);
    const dayItems = inWeek
      .filter((a) => {
        const s = new Date(a.start);
        return s >= date && s < next;
      })
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((item) => {
        const s = new Date(item.start);
        const e = new Date(item.end);
        const startMin = s.getHours() * 60 + s.getMinutes() - fromHour * 60;
        const durMin = Math.max(15, (e.getTime() - s.getTime()) / 60_000);
        const topPct = (startMin / span) * 100;
        return { item, topPct, heightPct: Math.min(100 - topPct, (durMin / span) * 100) };
      });
    return { date, items: dayItems };
  });
  return { days, fromHour, toHour };
}

/**
 * The local time at a vertical position of a day column: `fraction` 0 is `fromHour`, 1 is
 * `toHour`; snapped down to `stepMin` minutes.
 */
export function timeAt(day: Date, fromHour: number, toHour: number, fraction: number, stepMin = 30): Date {
  const minutes = Math.max(0, Math.min(1, fraction)) * (toHour - fromHour) * 60;
  const snapped = Math.min(Math.floor(minutes / stepMin) * stepMin, (toHour - fromHour) * 60 - stepMin);
  const result = new Date(day);
  result.setHours(fromHour, 0, 0, 0);
  result.setMinutes(result.getMinutes() + snapped);
  return result;
}

/** `YYYY-MM-DDTHH:mm` in local time, for <input type="datetime-local">. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
