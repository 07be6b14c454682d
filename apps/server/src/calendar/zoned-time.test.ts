import { describe, expect, it } from 'vitest';
import { freeSlots, openIntervals, parseRange, withinHours } from './business-hours.ts';
import { formatInZone, offsetMinutes, parseLocalDate, zonedToInstant } from './zoned-time.ts';

describe('zoned time', () => {
  it('converts wall time to instants across DST in New York', () => {
    // 2026-03-08 is the US spring-forward day; 2026-11-01 the fall-back day.
    expect(zonedToInstant({ year: 2026, month: 3, day: 7 }, 9 * 60, 'America/New_York').toISOString()).toBe(
      '2026-03-07T14:00:00.000Z',
    );
    expect(zonedToInstant({ year: 2026, month: 3, day: 9 }, 9 * 60, 'America/New_York').toISOString()).toBe(
      '2026-03-09T13:00:00.000Z',
    );
    // 02:30 does not exist on spring-forward day: resolved forward to 03:30 EDT.
    expect(zonedToInstant({ year: 2026, month: 3, day: 8 }, 150, 'America/New_York').toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    // 01:30 happens twice on fall-back day: the earlier (EDT) instant.
    expect(zonedToInstant({ year: 2026, month: 11, day: 1 }, 90, 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('formats with the local offset', () => {
    expect(formatInZone(new Date('2026-07-01T16:00:00Z'), 'Europe/Paris')).toBe('2026-07-01T18:00:00+02:00');
    expect(formatInZone(new Date('2026-01-01T16:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-01T21:30:00+05:30');
    expect(offsetMinutes(new Date('2026-01-15T00:00:00Z'), 'America/Los_Angeles')).toBe(-480);
  });

  it('parses dates strictly', () => {
    expect(parseLocalDate('2026-02-29')).toBeNull();
    expect(parseLocalDate('2026-2-1')).toBeNull();
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
  });
});

describe('business hours', () => {
  const hours = {
    mon: [
      ['09:00', '12:00'],
      ['13:00', '17:00'],
    ] as Array<[string, string]>,
  };
  it('parses ranges and rejects bad ones', () => {
    expect(parseRange(['09:00', '17:30'])).toEqual({ startMin: 540, endMin: 1050 });
    expect(parseRange(['00:00', '24:00'])).toEqual({ startMin: 0, endMin: 1440 });
    expect(parseRange(['17:00', '09:00'])).toBeNull();
    expect(parseRange(['9', '5'])).toBeNull();
  });
  it('computes open intervals in the zone and free slots around busy ones', () => {
    const open = openIntervals('2026-03-09', hours, 'America/New_York'); // a Monday, after DST start
    expect(open.map((o) => formatInZone(o.start, 'America/New_York'))).toEqual([
      '2026-03-09T09:00:00-04:00',
      '2026-03-09T13:00:00-04:00',
    ]);
    const busy = [{ start: new Date('2026-03-09T14:00:00Z'), end: new Date('2026-03-09T14:30:00Z') }];
    const slots = freeSlots(open, busy, 30, new Date('2026-03-01T00:00:00Z'));
    const local = slots.map((s) => formatInZone(s.start, 'America/New_York').slice(11, 16));
    expect(local).toEqual([
      '09:00',
      '09:30',
      '10:30',
      '11:00',
      '11:30',
      '13:00',
      '13:30',
      '14:00',
      '14:30',
      '15:00',
      '15:30',
      '16:00',
      '16:30',
    ]);
    expect(
      withinHours({ start: new Date('2026-03-09T15:45:00Z'), end: new Date('2026-03-09T16:15:00Z') }, open),
    ).toBe(false);
  });
  it('has no hours on a closed day or a holiday', () => {
    expect(openIntervals('2026-03-08', hours, 'America/New_York')).toEqual([]);
    expect(openIntervals('2026-03-09', hours, 'America/New_York', ['2026-03-09'])).toEqual([]);
  });
});
