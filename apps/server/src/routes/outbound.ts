/**
 * POST /api/prospects/:id/call — place an outbound AI call to a prospect (202 with the call,
 * whose progress then arrives as status callbacks and `call.updated` events).
 */
import { callSchema, idParamsSchema, placeCallSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toCallJson } from '../mappers/calls.ts';
import { audit } from '../plugins/audit.ts';
import { placeOutboundCall } from '../services/place-outbound-call.ts';
import { publicBaseUrl } from '../telephony/webhook-auth.ts';

export async function outboundRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/prospects/:id/call',
      auth: 'agent',
      summary: 'Place an outbound AI call to the prospect',
      description:
        'Answers 202 with the new call (status `queued`, `providerCallSid` set). Body optional: ' +
        '`{ agentId }` (default: the default agent). `409 conflict` when the prospect is on the ' +
        'do-not-call list (`details.reason: do_not_call`, nothing is dialled) or when Twilio is not ' +
        'configured or refuses the call (`details.reason`, `details.callId`: the call row, marked ' +
        'failed with the reason); `503` when Twilio cannot be reached.',
      params: idParamsSchema,
      body: placeCallSchema.optional(),
      responses: { 202: callSchema },
    },
    async (request, { params, body }, reply) => {
      const { ctx } = request.server;
      const call = await placeOutboundCall(
        {
          ...deps(request),
          secrets: ctx.secrets,
          config: ctx.config,
          live: ctx.live,
          sip: ctx.sip,
          jobs: ctx.jobs,
        },
        {
          organizationId: request.auth.organizationId,
          prospectId: params.id,
          agentId: body?.agentId,
          publicUrl: publicBaseUrl(ctx, request),
        },
      );
      await audit(request, 'call.place', { type: 'call', id: call.id }, { prospectId: params.id });
      reply.code(202);
      return toCallJson(call);
    },
  );
}
