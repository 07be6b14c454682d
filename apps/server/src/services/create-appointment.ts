/**
 * Staff book an appointment by hand: the organization's hours and holidays (no agent), the same
 * conflict rules and Google Calendar sync as the agent's tool, and an optional confirmation text.
 */
import { prospects } from '@switchboard/db';
import type { createAppointmentSchema } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { notFound } from '../errors.ts';
import type { AppointmentRow } from '../mappers/appointments.ts';
import { bookAppointment } from './book-appointment.ts';
import { type NotificationOutcome, notifyAppointment } from './notify-appointment.ts';
import type { SendSmsDeps } from './send-sms.ts';

export async function createAppointment(
  deps: SendSmsDeps,
  input: { organizationId: string; data: z.output<typeof createAppointmentSchema> },
): Promise<{ appointment: AppointmentRow; notification?: NotificationOutcome }> {
  const { data, organizationId } = input;
  const prospectId = data.prospectId ?? null;
  if (prospectId) {
    const [prospect] = await deps.db
      .select({ id: prospects.id })
      .from(prospects)
      .where(and(eq(prospects.organizationId, organizationId), eq(prospects.id, prospectId)))
      .limit(1);
    if (!prospect) throw notFound('Prospect');
  }
  const { appointment } = await bookAppointment(deps, {
    organizationId,
    agentId: null,
    callId: null,
    prospectId,
    start: new Date(data.start),
    durationMinutes: data.durationMinutes,
    title: data.title,
    notes: data.notes,
  });
  if (!data.notify) return { appointment };
  return { appointment, notification: await notifyAppointment(deps, appointment, 'booked') };
}
