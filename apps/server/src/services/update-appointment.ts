/**
 * Staff change an appointment by hand: edit title/notes, reschedule (the same past, hours,
 * holiday and overlap rules as booking, ignoring the appointment itself) or cancel with a reason.
 * The change is written locally under the organization lock, then mirrored to Google Calendar;
 * if Google refuses, the local row is put back and the answer is 503 (nothing changed).
 */
import { appointments } from '@switchboard/db';
import type { updateAppointmentSchema } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { overlaps } from '../calendar/business-hours.ts';
import { openOrgCalendar } from '../calendar/org-calendar.ts';
import { loadSchedule } from '../calendar/schedule.ts';
import { assertWithinRules, doubleBooking, overlapping } from '../calendar/slot-rules.ts';
import { AppError, notFound } from '../errors.ts';
import type { AppointmentRow } from '../mappers/appointments.ts';
import { lockOrganization } from '../sql.ts';
import { calendarUnavailable } from './book-appointment.ts';
import { type AppointmentChange, type NotificationOutcome, notifyAppointment } from './notify-appointment.ts';
import type { SendSmsDeps } from './send-sms.ts';

export type UpdateAppointmentData = z.output<typeof updateAppointmentSchema>;

export interface UpdateAppointmentResult {
  appointment: AppointmentRow;
  change: AppointmentChange | 'edited';
  notification?: NotificationOutcome;
}

export async function updateAppointment(
  deps: SendSmsDeps,
  input: { organizationId: string; id: string; patch: UpdateAppointmentData },
): Promise<UpdateAppointmentResult> {
  const { organizationId, id, patch } = input;
  const [existing] = await deps.db
    .select()
    .from(appointments)
    .where(and(eq(appointments.organizationId, organizationId), eq(appointments.id, id)))
    .limit(1);
  if (!existing) throw notFound('Appointment');
  const now = deps.clock();
  const moving = patch.start !== undefined || patch.durationMinutes !== undefined;
  const cancelling = patch.status === 'cancelled';
  if (existing.status === 'cancelled' && (moving || cancelling)) {
    throw new AppError('conflict', 'The appointment is cancelled already.', { reason: 'cancelled' });
  }
  if ((moving || cancelling) && existing.end <= now) {
    throw new AppError('bad_request', 'The appointment has already taken place.', { reason: 'past' });
  }

  const values: Partial<typeof appointments.$inferInsert> = { updatedAt: now };
  if (patch.title !== undefined) values.title = patch.title;
  if (patch.notes !== undefined) values.notes = patch.notes;
  if (cancelling) Object.assign(values, { status: 'cancelled', cancelReason: patch.cancelReason ?? null });
  const calendar = moving || existing.externalId ? await openOrgCalendar(deps, organizationId) : null;

  if (moving) {
    const start = patch.start ? new Date(patch.start) : existing.start;
    const minutes = patch.durationMinutes ?? (existing.end.getTime() - existing.start.getTime()) / 60_000;
    const slot = { start, end: new Date(start.getTime() + minutes * 60_000) };
    const schedule = await loadSchedule(deps.db, { organizationId, agentId: existing.agentId });
    assertWithinRules(slot, schedule, now);
    const conflict = () =>
      doubleBooking(deps, { organizationId, agentId: existing.agentId, slot, timeZone: schedule.timeZone });
    if (calendar?.external) {
      // Google's busy time includes this appointment's own event: leave it out.
      const busy = await calendar.external.busy(slot.start, slot.end);
      const self = (b: { start: Date; end: Date }) =>
        b.start.getTime() === existing.start.getTime() && b.end.getTime() === existing.end.getTime();
      if (busy.some((b) => !self(b) && overlaps(slot, b))) throw await conflict();
    }
    Object.assign(values, { start: slot.start, end: slot.end, timezone: schedule.timeZone });
    const moved = await deps.db.transaction(async (tx) => {
      await lockOrganization(tx, organizationId);
      if (await overlapping(tx, organizationId, slot, id)) return false;
      await tx.update(appointments).set(values).where(eq(appointments.id, id));
      return true;
    });
    if (!moved) throw await conflict();
  } else {
    await deps.db.update(appointments).set(values).where(eq(appointments.id, id));
  }
  const [updated] = await deps.db.select().from(appointments).where(eq(appointments.id, id));
  if (calendar?.external && existing.externalId) await mirror(deps, calendar.external, existing, updated!);

  const change: UpdateAppointmentResult['change'] = cancelling ? 'cancelled' : moving ? 'moved' : 'edited';
  if (!patch.notify || change === 'edited') return { appointment: updated!, change };
  return { appointment: updated!, change, notification: await notifyAppointment(deps, updated!, change) };
}

/** Applies the change to the Google event; on failure restores the row as it was and answers 503. */
async function mirror(
  deps: SendSmsDeps,
  external: NonNullable<Awaited<ReturnType<typeof openOrgCalendar>>['external']>,
  before: AppointmentRow,
  after: AppointmentRow,
): Promise<void> {
  try {
    if (after.status === 'cancelled') await external.cancelEvent(before.externalId!);
    else {
      await external.updateEvent(before.externalId!, {
        start: after.start,
        end: after.end,
        timeZone: after.timezone,
        title: after.title,
        description: after.notes,
      });
    }
  } catch (error) {
    const { id: _id, organizationId: _org, createdAt: _created, ...restore } = before;
    await deps.db.update(appointments).set(restore).where(eq(appointments.id, before.id));
    deps.log.warn({ err: error, organizationId: before.organizationId }, 'calendar event update failed');
    throw calendarUnavailable();
  }
}
