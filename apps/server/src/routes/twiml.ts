/**
 * Twilio's call webhooks (form-encoded, signed with X-Twilio-Signature, answered with TwiML or
 * 204): the voice webhook that connects a call to its media stream, call status callbacks, the
 * fallback after a stream ends, and the recording of a message left after an apology. Each
 * reads the form at the edge (telephony/webhook-forms.ts) and calls one service.
 */
import type { FastifyInstance } from 'fastify';
import { answerVoiceWebhook } from '../services/answer-voice-webhook.ts';
import { applyCallStatus } from '../services/apply-call-status.ts';
import { handleStreamEnded } from '../services/handle-stream-ended.ts';
import { storeRecording } from '../services/store-recording.ts';
import {
  callIdFromQuery,
  publicBaseUrl,
  sendTwiml,
  twilioForm,
  verifiedCallWebhook,
  verifyTwilioWebhook,
} from '../telephony/webhook-auth.ts';
import {
  recordingCallbackFields,
  statusCallbackFields,
  voiceWebhookFields,
} from '../telephony/webhook-forms.ts';

const PUBLIC = { auth: 'public' as const };

export async function twimlRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  app.post('/api/twiml/connect-stream', { config: PUBLIC }, async (request, reply) => {
    const form = twilioForm(request);
    const answer = await answerVoiceWebhook(
      { ...ctx, log: request.log },
      {
        callId: callIdFromQuery(request),
        fields: voiceWebhookFields(form),
        publicUrl: publicBaseUrl(ctx, request),
      },
      (organizationId) => verifyTwilioWebhook(ctx, request, form, organizationId),
    );
    return sendTwiml(reply.code(answer.status), answer.twiml);
  });

  app.post('/api/twiml/status', { config: PUBLIC }, async (request, reply) => {
    const { form, call } = await verifiedCallWebhook(ctx, request, { bySid: true });
    await applyCallStatus(ctx, call, statusCallbackFields(form));
    return reply.code(204).send();
  });

  app.post('/api/twiml/stream-ended', { config: PUBLIC }, async (request, reply) => {
    const { call } = await verifiedCallWebhook(ctx, request);
    return sendTwiml(reply, await handleStreamEnded(ctx, call, publicBaseUrl(ctx, request)));
  });

  app.post('/api/twiml/recording', { config: PUBLIC }, async (request, reply) => {
    const { form, call } = await verifiedCallWebhook(ctx, request);
    await storeRecording(ctx, call, recordingCallbackFields(form).url);
    return reply.code(204).send();
  });
}
