/**
 * The optional text to the prospect when staff book, move or cancel an appointment by hand.
 * Never fails the booking: the outcome is reported (`sent`, `failed` with Twilio's reason, or
 * `skipped` with why: no prospect, on the do-not-call list, texting not set up).
 */
import { organizations, prospects } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import type { AppointmentRow } from '../mappers/appointments.ts';
import { spoken } from '../tools/failures.ts';
import { isDoNotCall } from './do-not-call.ts';
import { type SendSmsDeps, sendSms } from './send-sms.ts';

export type AppointmentChange = 'booked' | 'moved' | 'cancelled';

export interface NotificationOutcome {
  status: 'sent' | 'failed' | 'skipped';
  message?: string;
}

export function appointmentText(
  business: string,
  change: AppointmentChange,
  appointment: AppointmentRow,
): string {
  const when = spoken(appointment.start, appointment.timezone);
  if (change === 'cancelled') return `${business}: your appointment on ${when} is cancelled.`;
  if (change === 'moved') return `${business}: your appointment has moved to ${when}.`;
  return `${business}: your appointment is confirmed for ${when}.`;
}

export async function notifyAppointment(
  deps: SendSmsDeps,
  appointment: AppointmentRow,
  change: AppointmentChange,
): Promise<NotificationOutcome> {
  if (!appointment.prospectId) return { status: 'skipped', message: 'The appointment has no prospect.' };
  const [row] = await deps.db
    .select({ phone: prospects.phone, status: prospects.status, business: organizations.name })
    .from(prospects)
    .innerJoin(organizations, eq(organizations.id, prospects.organizationId))
    .where(
      and(eq(prospects.organizationId, appointment.organizationId), eq(prospects.id, appointment.prospectId)),
    )
    .limit(1);
  if (!row) return { status: 'skipped', message: 'The prospect no longer exists.' };
  if (row.status === 'do_not_call' || (await isDoNotCall(deps.db, appointment.organizationId, row.phone))) {
    return { status: 'skipped', message: 'The number is on the do-not-call list.' };
  }
  try {
    await sendSms(deps, {
      organizationId: appointment.organizationId,
      callId: null,
      prospectId: appointment.prospectId,
      to: row.phone,
      body: appointmentText(row.business, change, appointment),
    });
    return { status: 'sent' };
  } catch (error) {
    if (error instanceof AppError) return { status: 'failed', message: error.message };
    throw error;
  }
}
