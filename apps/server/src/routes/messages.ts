import { listMessagesQuerySchema, listResponse, messageSchema, sendMessageSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { appDeps, deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toMessageJson } from '../mappers/messages.ts';
import { audit } from '../plugins/audit.ts';
import { listMessages } from '../services/list-messages.ts';
import { sendMessage } from '../services/send-message.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';

export async function messageRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/messages',
      auth: 'viewer',
      summary: 'Text messages, newest first (filters: prospectId, callId)',
      query: listMessagesQuerySchema,
      responses: { 200: listResponse(messageSchema) },
    },
    async (request, { query }) => {
      const page = await listMessages(deps(request), {
        organizationId: request.auth.organizationId,
        ...query,
      });
      return { ...page, items: page.items.map(toMessageJson) };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/messages',
      auth: 'agent',
      summary: "Text a prospect by hand (Twilio, from the organization's number)",
      description:
        '409 `do_not_call` when the number opted out (replied STOP) or is listed; 409 `twilio_error` when ' +
        'Twilio refused (the failed message is kept with its error); 409 when texting is not set up; ' +
        '403 `country_not_allowed` outside the allowed countries (SMS_ALLOWED_COUNTRIES); 429 ' +
        "`sms_daily_limit` when the organization's texts in 24 hours reach SMS_PER_ORG_PER_DAY.",
      body: sendMessageSchema,
      responses: { 201: messageSchema },
      rateLimit: { max: 30, timeWindow: 60_000 },
    },
    async (request, { body }, reply) => {
      const message = await sendMessage(appDeps(request), {
        organizationId: request.auth.organizationId,
        prospectId: body.prospectId,
        body: body.body,
      });
      await emitWebhookEvent(request.server.ctx, request.auth.organizationId, 'message.sent', {
        message: toMessageJson(message),
        callId: null,
      });
      await audit(
        request,
        'message.send',
        { type: 'message', id: message.id },
        { prospectId: body.prospectId },
      );
      reply.code(201);
      return toMessageJson(message);
    },
  );
}
