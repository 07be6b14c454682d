/**
 * POST /api/twiml/amd?callId= — Twilio's asynchronous answering-machine-detection callback for
 * outbound calls (signed like every Twilio webhook; form `CallSid`, `AnsweredBy`,
 * `MachineDetectionDuration`). Answers 204.
 */
import type { FastifyInstance } from 'fastify';
import { applyAmdResult } from '../services/apply-amd-result.ts';
import { verifiedCallWebhook } from '../telephony/webhook-auth.ts';
import { amdCallbackFields } from '../telephony/webhook-forms.ts';

export async function twimlAmdRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.post('/api/twiml/amd', { config: { auth: 'public' } }, async (request, reply) => {
    const { form, call } = await verifiedCallWebhook(ctx, request);
    await applyAmdResult({ ...ctx, log: request.log }, call, amdCallbackFields(form));
    return reply.code(204).send();
  });
}
