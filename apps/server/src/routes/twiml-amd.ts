/**
 * POST /api/twiml/amd?callId= — Twilio's asynchronous answering-machine-detection callback for
 * outbound calls (signed like every Twilio webhook; form `CallSid`, `AnsweredBy`,
 * `MachineDetectionDuration`). Answers 204.
 */
import type { FastifyInstance } from 'fastify';
import { applyAmdResult } from '../services/apply-amd-result.ts';
import { formValue, twilioForm, verifyTwilioWebhook } from '../telephony/webhook-auth.ts';
import { callById, callIdFromQuery } from './twiml.ts';

const ANSWERED_BY =
  /^(human|machine_start|machine_end_beep|machine_end_silence|machine_end_other|fax|unknown)$/;

export async function twimlAmdRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.post('/api/twiml/amd', { config: { auth: 'public' } }, async (request, reply) => {
    const form = twilioForm(request);
    const call = await callById(request, callIdFromQuery(request));
    await verifyTwilioWebhook(ctx, request, form, call?.organizationId ?? null);
    const answeredBy = formValue(form, 'AnsweredBy') ?? '';
    const callSid = formValue(form, 'CallSid');
    if (!call || !ANSWERED_BY.test(answeredBy)) return reply.code(204).send();
    if (call.providerCallSid && callSid !== call.providerCallSid) return reply.code(204).send();
    const duration = Number(formValue(form, 'MachineDetectionDuration'));
    await applyAmdResult(ctx, call, {
      answeredBy,
      detectionMs: Number.isFinite(duration) && duration >= 0 ? Math.round(duration) : null,
    });
    return reply.code(204).send();
  });
}
