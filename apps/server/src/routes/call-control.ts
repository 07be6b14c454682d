import { idParamsSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { audit } from '../plugins/audit.ts';
import { hangupCall } from '../services/hangup-call.ts';

export async function callControlRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/calls/:id/hangup',
      auth: 'agent',
      summary: 'Hang up a call in progress',
      description:
        'Accepted (202) once the hang-up is requested; the call’s status changes follow as `call.updated` ' +
        'events. `409 conflict` when the call has already ended or cannot be reached.',
      params: idParamsSchema,
      responses: { 202: z.object({ ok: z.literal(true) }) },
    },
    async (request, { params }, reply) => {
      const { ctx } = request.server;
      const { via } = await hangupCall(
        { ...deps(request), secrets: ctx.secrets, config: ctx.config, liveCalls: ctx.liveCalls },
        { organizationId: request.auth.organizationId, id: params.id },
      );
      await audit(request, 'call.hangup', { type: 'call', id: params.id }, { via });
      reply.code(202);
      return { ok: true as const };
    },
  );
}
