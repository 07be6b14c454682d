/**
 * Books a meeting (an agent's book_appointment tool, or staff by hand): in the future, inside
 * business hours, and never over another meeting (calendar/slot-rules.ts). The overlap check and
 * the insert run in one transaction holding the organization's row lock, so two bookings of the
 * same slot cannot both win. With Google Calendar the slot is also checked there and the event
 * created there after the local insert (outside the transaction, which must not wait on the
 * network); if Google refuses, the local row is removed again.
 */
import { appointments, prospects } from '@switchboard/db';
import { and, eq, inArray } from 'drizzle-orm';
import { overlaps } from '../calendar/business-hours.ts';
import { openOrgCalendar } from '../calendar/org-calendar.ts';
import type { CalendarProvider } from '../calendar/provider.ts';
import { loadSchedule } from '../calendar/schedule.ts';
import { assertWithinRules, doubleBooking, overlapping } from '../calendar/slot-rules.ts';
import { AppError } from '../errors.ts';
import type { AppointmentRow } from '../mappers/appointments.ts';
import { lockOrganization } from '../sql.ts';
import type { CalendarDeps } from './find-free-slots.ts';

export { spell } from '../calendar/slot-rules.ts';

export interface BookAppointmentInput {
  organizationId: string;
  agentId: string | null;
  callId: string | null;
  prospectId: string | null;
  start: Date;
  durationMinutes: number;
  title: string;
  notes: string;
  signal?: AbortSignal;
}

export interface BookingResult {
  appointment: AppointmentRow;
  timeZone: string;
  provider: 'builtin' | 'google';
}

/** Prospect statuses a booked meeting moves forward to `meeting_scheduled`. */
const ADVANCES = ['new', 'contacted', 'qualified'] as const;

export const calendarUnavailable = () =>
  new AppError('service_unavailable', 'The calendar could not be updated, so nothing was changed.', {
    reason: 'calendar_unavailable',
  });

export async function bookAppointment(
  deps: CalendarDeps,
  input: BookAppointmentInput,
): Promise<BookingResult> {
  const schedule = await loadSchedule(deps.db, input);
  const { timeZone } = schedule;
  const slot = { start: input.start, end: new Date(input.start.getTime() + input.durationMinutes * 60_000) };
  assertWithinRules(slot, schedule, deps.clock());
  const conflict = () => doubleBooking(deps, { ...input, slot, timeZone });

  const calendar = await openOrgCalendar(deps, input.organizationId);
  if (calendar.external) {
    const busy = await calendar.external.busy(slot.start, slot.end, input.signal);
    if (busy.some((b) => overlaps(slot, b))) throw await conflict();
  }
  input.signal?.throwIfAborted();

  const appointment = await deps.db.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    if (await overlapping(tx, input.organizationId, slot)) return null;
    const [row] = await tx
      .insert(appointments)
      .values({
        organizationId: input.organizationId,
        prospectId: input.prospectId,
        callId: input.callId,
        agentId: input.agentId,
        start: slot.start,
        end: slot.end,
        timezone: timeZone,
        title: input.title,
        notes: input.notes,
      })
      .returning();
    return row!;
  });
  if (!appointment) throw await conflict();

  const booked = calendar.external ? await mirror(deps, calendar.external, appointment, input) : appointment;
  if (input.prospectId) {
    await deps.db
      .update(prospects)
      .set({ status: 'meeting_scheduled', updatedAt: deps.clock() })
      .where(
        and(
          eq(prospects.organizationId, input.organizationId),
          eq(prospects.id, input.prospectId),
          inArray(prospects.status, [...ADVANCES]),
        ),
      );
  }
  return { appointment: booked, timeZone, provider: calendar.provider };
}

/** Creates the meeting in the external calendar; removes the local row again when that fails. */
async function mirror(
  deps: CalendarDeps,
  external: CalendarProvider,
  appointment: AppointmentRow,
  input: BookAppointmentInput,
): Promise<AppointmentRow> {
  const { start, end, timezone: timeZone } = appointment;
  try {
    const { externalId } = await external.createEvent(
      { start, end, timeZone, title: input.title, description: input.notes },
      input.signal,
    );
    const [row] = await deps.db
      .update(appointments)
      .set({ externalId, updatedAt: deps.clock() })
      .where(eq(appointments.id, appointment.id))
      .returning();
    return row ?? appointment;
  } catch (error) {
    await deps.db.delete(appointments).where(eq(appointments.id, appointment.id));
    deps.log?.warn({ err: error, organizationId: input.organizationId }, 'calendar event creation failed');
    throw new AppError('service_unavailable', 'The calendar could not be updated, so nothing was booked.', {
      reason: 'calendar_unavailable',
    });
  }
}
