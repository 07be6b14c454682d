/**
 * POST /api/prospects/:id/call — place an outbound AI call to a prospect (202 with the call,
 * whose progress then arrives as status callbacks and `call.updated` events).
 */
import { callSchema, idParamsSchema, placeCallSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
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
        'failed with the reason); `409` with `details.reason: call_in_progress` (and `details.call`) ' +
        'when the prospect already has a live outbound call; `503` when Twilio cannot be reached. ' +
        'Send an `Idempotency-Key` header (1-200 printable characters) to make retries safe: a ' +
        'request with a key seen in the last 24 hours answers 202 with the call it placed. Without ' +
        'PUBLIC_URL (outside NODE_ENV=development) the call is refused with 409.',
      params: idParamsSchema,
      body: placeCallSchema.optional(),
      responses: { 202: callSchema },
    },
    async (request, { params, body }, reply) => {
      const { ctx } = request.server;
      if (ctx.lifecycle.draining) {
        reply.header('Retry-After', '60');
        throw new AppError(
          'service_unavailable',
          'The server is restarting; place the call again in a minute.',
        );
      }
      const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key']);
      // Without PUBLIC_URL the attempt is recorded as not placed (reason public_url_missing).
      let publicUrl: string | { problem: string };
      try {
        publicUrl = publicBaseUrl(ctx, request);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        publicUrl = { problem: error.message };
      }
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
          publicUrl,
          idempotencyKey,
        },
      );
      if (!call.replayed) {
        await audit(request, 'call.place', { type: 'call', id: call.id }, { prospectId: params.id });
      }
      reply.code(202);
      return toCallJson(call);
    },
  );
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The `Idempotency-Key` header, validated (400 when malformed). */
function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw new AppError('bad_request', 'Idempotency-Key must be 1-200 printable ASCII characters');
  }
  return header;
}
