/**
 * POST /api/twiml/sms — Twilio's messaging webhook for the organization's numbers (set it as
 * "A message comes in" on each number). Signed with X-Twilio-Signature like every Twilio webhook;
 * form `MessageSid`, `From`, `To`, `Body`. Answers empty TwiML: Twilio's own opt-out handling
 * already replies to STOP/START, and nothing else is sent back automatically.
 */
import { toE164 } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { deps } from '../http/deps.ts';
import { organizationOfNumber, receiveInboundSms } from '../services/receive-inbound-sms.ts';
import { formValue, twilioForm, verifyTwilioWebhook } from '../telephony/webhook-auth.ts';

const EMPTY_MESSAGING_TWIML = new twilio.twiml.MessagingResponse().toString();

export async function twimlSmsRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.post(
    '/api/twiml/sms',
    { config: { auth: 'public', rateLimit: { max: 600, timeWindow: 60_000 } } },
    async (request, reply) => {
      const form = twilioForm(request);
      const to = toE164(formValue(form, 'To') ?? '');
      const organizationId = to ? await organizationOfNumber(deps(request), to) : null;
      await verifyTwilioWebhook(ctx, request, form, organizationId);
      const from = toE164(formValue(form, 'From') ?? '');
      const messageSid = formValue(form, 'MessageSid') ?? formValue(form, 'SmsSid') ?? '';
      const body = (formValue(form, 'Body') ?? '').slice(0, 1600);
      if (!organizationId || !from || !to || !/^(SM|MM)[0-9a-fA-F]{32}$/.test(messageSid)) {
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
      return reply.type('text/xml; charset=utf-8').send(EMPTY_MESSAGING_TWIML);
    },
  );
}
