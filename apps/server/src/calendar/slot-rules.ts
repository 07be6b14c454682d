/**
 * The rules every booking obeys, by an agent's tool or by hand: a slot starts in the future,
 * lies inside one open interval of its local day (business hours, holidays closed) and overlaps
 * no other confirmed appointment. The overlap check runs inside the caller's transaction after it
 * locked the organization row, so two bookings of one slot cannot both win.
 */
import { appointments, type DbOrTx } from '@switchboard/db';
import { and, eq, gt, lt, ne, type SQL } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import { type CalendarDeps, findFreeSlots } from '../services/find-free-slots.ts';
import { type Interval, openIntervals, withinHours } from './business-hours.ts';
import type { Schedule } from './schedule.ts';
import { formatInZone } from './zoned-time.ts';

/** An interval as local ISO 8601 with offset. */
export function spell(interval: Interval, timeZone: string): { start: string; end: string } {
  return { start: formatInZone(interval.start, timeZone), end: formatInZone(interval.end, timeZone) };
}

export function localDateOf(instant: Date, timeZone: string): string {
  return formatInZone(instant, timeZone).slice(0, 10);
}

/** 400 when the slot is in the past or outside business hours (details say which, and the day's hours). */
export function assertWithinRules(slot: Interval, schedule: Schedule, now: Date): void {
  const { timeZone } = schedule;
  if (slot.start <= now) throw new AppError('bad_request', 'That time is in the past.', { reason: 'past' });
  const localDate = localDateOf(slot.start, timeZone);
  const open = openIntervals(localDate, schedule.hours, timeZone, schedule.holidays);
  if (!withinHours(slot, open)) {
    const holiday = schedule.holidays.includes(localDate);
    throw new AppError(
      'bad_request',
      holiday ? 'That day is a holiday: the business is closed.' : 'That time is outside business hours.',
      {
        reason: holiday ? 'holiday' : 'outside_business_hours',
        timeZone,
        openOnThatDay: open.map((o) => spell(o, timeZone)),
      },
    );
  }
}

/** The 409 for a taken slot, with up to three free alternatives that day. */
export async function doubleBooking(
  deps: CalendarDeps,
  input: { organizationId: string; agentId: string | null; slot: Interval; timeZone: string },
): Promise<AppError> {
  const durationMinutes = Math.round((input.slot.end.getTime() - input.slot.start.getTime()) / 60_000);
  const free = await findFreeSlots(deps, {
    organizationId: input.organizationId,
    agentId: input.agentId,
    date: localDateOf(input.slot.start, input.timeZone),
    durationMinutes,
    maxSlots: 3,
  }).catch(() => null);
  return new AppError('conflict', 'That time is already booked.', {
    reason: 'double_booking',
    alternatives: free?.slots.map((s) => spell(s, input.timeZone)),
  });
}

/** A confirmed appointment of the organization overlapping the slot (other than `excludeId`). */
export async function overlapping(
  tx: DbOrTx,
  organizationId: string,
  slot: Interval,
  excludeId?: string,
): Promise<boolean> {
  const conditions: SQL[] = [
    eq(appointments.organizationId, organizationId),
    eq(appointments.status, 'confirmed'),
    lt(appointments.start, slot.end),
    gt(appointments.end, slot.start),
  ];
  if (excludeId) conditions.push(ne(appointments.id, excludeId));
  const [taken] = await tx
    .select({ id: appointments.id })
    .from(appointments)
    .where(and(...conditions))
    .limit(1);
  return taken !== undefined;
}
