import {
  appointmentSchema,
  createAppointmentSchema,
  idParamsSchema,
  listAppointmentsQuerySchema,
  listResponse,
  updateAppointmentSchema,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { appDeps, deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toAppointmentJson } from '../mappers/appointments.ts';
import { audit } from '../plugins/audit.ts';
import { createAppointment } from '../services/create-appointment.ts';
import { listAppointments } from '../services/list-appointments.ts';
import { updateAppointment } from '../services/update-appointment.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';

const RULES =
  'Same rules as the agent: in the future, inside business hours (not on a holiday), no overlap with ' +
  'another confirmed appointment (409 `double_booking` with `details.alternatives`); with Google ' +
  'Calendar the event is created/moved/cancelled there too (503 `calendar_unavailable` changes nothing). ' +
  '`notify: true` texts the prospect; the outcome is in `notification`.';

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

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/appointments',
      auth: 'agent',
      summary: 'Book an appointment by hand',
      description: RULES,
      body: createAppointmentSchema,
      responses: { 201: appointmentSchema },
    },
    async (request, { body }, reply) => {
      const { appointment, notification } = await createAppointment(appDeps(request), {
        organizationId: request.auth.organizationId,
        data: body,
      });
      await audit(request, 'appointment.create', { type: 'appointment', id: appointment.id });
      await emitWebhookEvent(request.server.ctx, request.auth.organizationId, 'appointment.booked', {
        appointment: toAppointmentJson(appointment),
        callId: null,
      });
      reply.code(201);
      return { ...toAppointmentJson(appointment), ...(notification ? { notification } : {}) };
    },
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/appointments/:id',
      auth: 'agent',
      summary: 'Reschedule, cancel (with a reason) or edit an appointment',
      description: RULES,
      params: idParamsSchema,
      body: updateAppointmentSchema,
      responses: { 200: appointmentSchema },
    },
    async (request, { params, body }) => {
      const { appointment, change, notification } = await updateAppointment(appDeps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
        patch: body,
      });
      const fields = Object.keys(body).filter((key) => key !== 'notify');
      await audit(
        request,
        `appointment.${change === 'cancelled' ? 'cancel' : 'update'}`,
        {
          type: 'appointment',
          id: appointment.id,
        },
        { fields },
      );
      return { ...toAppointmentJson(appointment), ...(notification ? { notification } : {}) };
    },
  );
}
