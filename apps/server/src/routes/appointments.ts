import { appointmentSchema, listAppointmentsQuerySchema, listResponse } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toAppointmentJson } from '../mappers/appointments.ts';
import { listAppointments } from '../services/list-appointments.ts';

export async function appointmentRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/appointments',
      auth: 'viewer',
      summary: 'Appointments in start order (filters: from/to window overlap, prospectId, status)',
      query: listAppointmentsQuerySchema,
      responses: { 200: listResponse(appointmentSchema) },
    },
    async (request, { query }) => {
      const page = await listAppointments(deps(request), {
        organizationId: request.auth.organizationId,
        ...query,
      });
      return { ...page, items: page.items.map(toAppointmentJson) };
    },
  );
}
