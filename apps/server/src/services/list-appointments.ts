import { appointments } from '@switchboard/db';
import type { ListResponse, listAppointmentsQuerySchema } from '@switchboard/shared';
import { and, asc, eq, gt, lt, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import type { AppointmentRow } from '../mappers/appointments.ts';
import { pageOf } from '../sql.ts';

export type ListAppointmentsInput = { organizationId: string } & z.output<typeof listAppointmentsQuerySchema>;

/** Appointments in start order. `from`/`to` select those overlapping the window (a calendar view). */
export async function listAppointments(
  { db }: ServiceDeps,
  input: ListAppointmentsInput,
): Promise<ListResponse<AppointmentRow>> {
  const conditions: SQL[] = [eq(appointments.organizationId, input.organizationId)];
  if (input.from) conditions.push(gt(appointments.end, new Date(input.from)));
  if (input.to) conditions.push(lt(appointments.start, new Date(input.to)));
  if (input.prospectId) conditions.push(eq(appointments.prospectId, input.prospectId));
  if (input.status) conditions.push(eq(appointments.status, input.status));
  const where = and(...conditions);
  return pageOf(
    db
      .select()
      .from(appointments)
      .where(where)
      .orderBy(asc(appointments.start), asc(appointments.id))
      .limit(input.limit)
      .offset(input.offset),
    db.$count(appointments, where),
    input,
  );
}
