import { describe, expect, it } from 'vitest';
import { layoutWeek, timeAt, toLocalInput } from './calendar.ts';

const at = (d: number, h: number, m = 0) => new Date(2025, 0, d, h, m).toISOString();

describe('week calendar layout', () => {
  const monday = new Date(2025, 0, 6);
  it('places appointments on their local day within 8:00–18:00', () => {
    const { days, fromHour, toHour } = layoutWeek(monday, [
      { start: at(7, 9), end: at(7, 10), id: 'a' },
      { start: at(13, 9), end: at(13, 10), id: 'next week' },
    ]);
    expect([fromHour, toHour]).toEqual([8, 18]);
    expect(days).toHaveLength(7);
    expect(days[1]?.items).toHaveLength(1);
    expect(days[1]?.items[0]?.topPct).toBeCloseTo(10);
    expect(days[1]?.items[0]?.heightPct).toBeCloseTo(10);
    expect(days.flatMap((d) => d.items)).toHaveLength(1);
  });
  it('widens the visible hours for early and late meetings and gives short ones a minimum height', () => {
    const { fromHour, toHour, days } = layoutWeek(monday, [
      { start: at(8, 6, 30), end: at(8, 6, 35) },
      { start: at(9, 19), end: at(9, 20, 30) },
    ]);
    expect([fromHour, toHour]).toEqual([6, 21]);
    const early = days[2]?.items[0];
    expect(early?.topPct).toBeCloseTo((30 / (15 * 60)) * 100);
    expect(early?.heightPct).toBeCloseTo((15 / (15 * 60)) * 100);
  });
});

describe('timeAt', () => {
  const day = new Date(2026, 2, 9);
  it('maps a position in the column to a snapped local time', () => {
    expect(timeAt(day, 8, 18, 0).getHours()).toBe(8);
    const half = timeAt(day, 8, 18, 0.5);
    expect([half.getHours(), half.getMinutes()]).toEqual([13, 0]);
    const odd = timeAt(day, 8, 18, 0.52, 15);
    expect([odd.getHours(), odd.getMinutes()]).toEqual([13, 0]);
    const last = timeAt(day, 8, 18, 1);
    expect([last.getHours(), last.getMinutes()]).toEqual([17, 30]);
  });
  it('formats datetime-local values', () => {
    expect(toLocalInput(new Date(2026, 2, 9, 7, 5))).toBe('2026-03-09T07:05');
  });
});
