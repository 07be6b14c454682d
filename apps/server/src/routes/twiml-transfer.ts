/**
 * Twilio webhooks of a transfer to a human (tools/transfer-call.ts), signed like every Twilio
 * webhook and keyed by `?callId=`:
 * - POST /api/twiml/transfer-whisper — TwiML played to the human before connecting (warm
 *   transfer): the summary the agent gave.
 * - POST /api/twiml/transfer-done — the `<Dial action>`: records the outcome; answered → hang
 *   up when the human conversation is over; not answered → back to the AI (a new media stream
 *   that starts with an apology and offers to take a message).
 */
import type { FastifyInstance } from 'fastify';
import { answerTransferWhisper } from '../services/answer-transfer-whisper.ts';
import { applyTransferOutcome } from '../services/apply-transfer-outcome.ts';
import { publicBaseUrl, sendTwiml, verifiedCallWebhook } from '../telephony/webhook-auth.ts';
import { dialCallbackFields } from '../telephony/webhook-forms.ts';

export async function twimlTransferRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  app.post('/api/twiml/transfer-whisper', { config: { auth: 'public' } }, async (request, reply) => {
    const { call } = await verifiedCallWebhook(ctx, request);
    return sendTwiml(reply, await answerTransferWhisper(ctx, call));
  });

  app.post('/api/twiml/transfer-done', { config: { auth: 'public' } }, async (request, reply) => {
    const { form, call } = await verifiedCallWebhook(ctx, request);
    const fields = dialCallbackFields(form);
    return sendTwiml(reply, await applyTransferOutcome(ctx, call, fields, publicBaseUrl(ctx, request)));
  });
}
