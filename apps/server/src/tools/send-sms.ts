/**
 * send_sms {body, to?}: texts the caller (or `to`) from our number through Twilio; the text is
 * stored as a message of this call. Twilio's refusal is returned to the model.
 */
import { phoneSchema, toE164 } from '@switchboard/shared';
import { type ToolDefinition, ToolFailure } from '@switchboard/voice';
import { z } from 'zod';
import { toMessageJson } from '../mappers/messages.ts';
import { sendSms } from '../services/send-sms.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';
import type { CallToolContext, ToolDeps } from './context.ts';
import { forModel, noPhoneLine } from './failures.ts';

export const sendSmsParameters = z.object({
  body: z.string().trim().min(1).max(1000).describe('The text message, short and plain (no markdown).'),
  to: phoneSchema
    .optional()
    .describe("Recipient; default the caller's number. Confirm another number first."),
});

export function sendSmsTool(deps: ToolDeps): ToolDefinition<typeof sendSmsParameters, CallToolContext> {
  return {
    name: 'send_sms',
    description: 'Send a text message to the caller (e.g. a booking confirmation or an address).',
    hint: 'Offer to text details; confirm the number before sending.',
    parameters: sendSmsParameters,
    timeoutMs: 15_000,
    handler: async (args, ctx) => {
      if (!args.to && ctx.direction === 'web') {
        throw noPhoneLine(
          'This is a browser test call, so there is no caller phone number to text. Say so, and offer to text a number the caller gives.',
        );
      }
      const to = args.to ?? (ctx.callerNumber ? toE164(ctx.callerNumber) : null);
      if (!to) throw new ToolFailure('There is no number to text; ask for one.');
      const message = await forModel(
        sendSms(deps, {
          organizationId: ctx.organizationId,
          callId: ctx.callId,
          prospectId: ctx.prospect.id,
          to,
          from: ctx.ourNumber || undefined,
          body: args.body,
        }),
      );
      await emitWebhookEvent(deps, ctx.organizationId, 'message.sent', {
        message: toMessageJson(message),
        callId: ctx.callId,
      });
      return { sent: true, to, status: message.status, messageId: message.id };
    },
  };
}
