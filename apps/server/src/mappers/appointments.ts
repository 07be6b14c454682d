import type { appointments } from '@switchboard/db';
import type { Appointment } from '@switchboard/shared';
import { iso } from './iso.ts';

export type AppointmentRow = typeof appointments.$inferSelect;

export function toAppointmentJson(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    prospectId: row.prospectId,
    callId: row.callId,
    agentId: row.agentId,
    start: iso(row.start),
    end: iso(row.end),
    timezone: row.timezone,
    title: row.title,
    status: row.status,
    notes: row.notes,
    cancelReason: row.cancelReason,
    synced: row.externalId !== null,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
