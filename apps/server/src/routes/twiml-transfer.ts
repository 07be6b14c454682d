/**
 * Twilio webhooks of a transfer to a human (tools/transfer-call.ts), signed like every Twilio
 * webhook and keyed by `?callId=`:
 * - POST /api/twiml/transfer-whisper — TwiML played to the human before connecting (warm
 *   transfer): the summary the agent gave.
 * - POST /api/twiml/transfer-done — the `<Dial action>`: records the outcome; answered → hang
 *   up when the human conversation is over; not answered → back to the AI (a new media stream
 *   that starts with an apology and offers to take a message).
 */
import { callEvents } from '@switchboard/db';
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { RESUME_AFTER_TRANSFER } from '../calls/call-features.ts';
import { applyTransferOutcome } from '../services/apply-transfer-outcome.ts';
import { whisperTwiml } from '../telephony/transfer-twiml.ts';
import { formValue, publicBaseUrl, twilioForm, verifyTwilioWebhook } from '../telephony/webhook-auth.ts';
import { callById, callIdFromQuery, callStreamTwiml, sendTwiml } from './twiml.ts';

const HANGUP = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
const DIAL_STATUS = /^(completed|answered|busy|no-answer|failed|canceled)$/;

export async function twimlTransferRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  app.post('/api/twiml/transfer-whisper', { config: { auth: 'public' } }, async (request, reply) => {
    const form = twilioForm(request);
    const call = await callById(request, callIdFromQuery(request));
    await verifyTwilioWebhook(ctx, request, form, call?.organizationId ?? null);
    let summary = '';
    if (call) {
      const [transfer] = await ctx.db
        .select({ data: callEvents.data })
        .from(callEvents)
        .where(
          and(
            eq(callEvents.organizationId, call.organizationId),
            eq(callEvents.callId, call.id),
            eq(callEvents.type, 'transfer'),
          ),
        )
        .orderBy(desc(callEvents.id))
        .limit(1);
      if (typeof transfer?.data.summary === 'string') summary = transfer.data.summary;
    }
    return sendTwiml(reply, whisperTwiml(summary));
  });

  app.post('/api/twiml/transfer-done', { config: { auth: 'public' } }, async (request, reply) => {
    const form = twilioForm(request);
    const call = await callById(request, callIdFromQuery(request));
    await verifyTwilioWebhook(ctx, request, form, call?.organizationId ?? null);
    const callSid = formValue(form, 'CallSid') ?? '';
    const dialStatus = formValue(form, 'DialCallStatus') ?? '';
    if (!call || !DIAL_STATUS.test(dialStatus) || call.providerCallSid !== callSid)
      return sendTwiml(reply, HANGUP);
    const duration = Number(formValue(form, 'DialCallDuration'));
    const { connected } = await applyTransferOutcome(ctx, call, {
      dialStatus,
      durationS: Number.isInteger(duration) && duration >= 0 ? duration : null,
    });
    if (connected) return sendTwiml(reply, HANGUP);
    return sendTwiml(
      reply,
      callStreamTwiml(ctx, publicBaseUrl(ctx, request), call.id, callSid, {
        resume: RESUME_AFTER_TRANSFER,
        transferStatus: dialStatus,
      }),
    );
  });
}
