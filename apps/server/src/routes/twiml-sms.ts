/**
 * POST /api/twiml/sms — Twilio's messaging webhook for the organization's numbers (set it as
 * "A message comes in" on each number). Signed with X-Twilio-Signature like every Twilio webhook;
 * form `MessageSid`, `From`, `To`, `Body`. Answers empty TwiML (docs/messaging.md).
 */
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { organizationOfNumber, receiveInboundSms } from '../services/receive-inbound-sms.ts';
import { emptyMessagingTwiml } from '../telephony/twiml.ts';
import { sendTwiml, twilioForm, verifyTwilioWebhook } from '../telephony/webhook-auth.ts';
import { inboundSmsFields } from '../telephony/webhook-forms.ts';

export async function twimlSmsRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.post(
    '/api/twiml/sms',
    { config: { auth: 'public', rateLimit: { max: 600, timeWindow: 60_000 } } },
    async (request, reply) => {
      const form = twilioForm(request);
      const { messageSid, from, to, body } = inboundSmsFields(form);
      const organizationId = to ? await organizationOfNumber(deps(request), to) : null;
      await verifyTwilioWebhook(ctx, request, form, organizationId);
      if (!organizationId || !from || !to || !messageSid) {
        request.log.warn(
          { known: Boolean(organizationId), hasSid: Boolean(messageSid) },
          'inbound SMS ignored',
        );
      } else {
        const outcome = await receiveInboundSms(deps(request), organizationId, {
          messageSid,
          from,
          to,
          body,
        });
        request.log.info({ organizationId, outcome }, 'inbound SMS');
      }
      return sendTwiml(reply, emptyMessagingTwiml());
    },
  );
}
