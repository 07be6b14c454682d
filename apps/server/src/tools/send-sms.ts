/**
 * send_sms {body, to?}: texts the caller from our number through Twilio; the text is stored as
 * a message of this call. By default (the agent's `smsRecipients: 'caller'`) only the call's
 * other party can be texted (inbound `from`, outbound `to`), so a manipulated model cannot text
 * anyone else; `any` lets it text a number the caller gives. Limits and country rules are the
 * service's (services/send-sms.ts); refusals are returned to the model.
 */
import { phoneSchema, toE164 } from '@switchboard/shared';
import { type ToolDefinition, ToolFailure } from '@switchboard/voice';
import { z } from 'zod';
import { toMessageJson } from '../mappers/messages.ts';
import { sendSms } from '../services/send-sms.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';
import type { CallToolContext, ToolDeps } from './context.ts';
import { forModel, noPhoneLine } from './failures.ts';

const body = z.string().trim().min(1).max(1000).describe('The text message, short and plain (no markdown).');

export const sendSmsParameters = z.object({
  body,
  to: phoneSchema
    .optional()
    .describe("Recipient; default the caller's number. Confirm another number first."),
});

/** What a caller-only agent's model is given: `to` may only repeat the caller's number. */
const callerOnlyParameters = z.object({
  body,
  to: phoneSchema.optional().describe("Leave empty: texts go to the caller's own number only."),
});

const CALLER_ONLY =
  "Send a text message to the caller's own phone number (e.g. a booking confirmation or an address). " +
  'Only the number they are calling from can be texted; another number is refused.';

export function sendSmsTool(deps: ToolDeps): ToolDefinition<typeof sendSmsParameters, CallToolContext> {
  return {
    name: 'send_sms',
    description: 'Send a text message to the caller (e.g. a booking confirmation or an address).',
    hint: 'Offer to text details; confirm the number before sending.',
    parameters: sendSmsParameters,
    declareFor: (ctx) =>
      callerOnly(ctx) ? { description: CALLER_ONLY, parameters: callerOnlyParameters } : undefined,
    timeoutMs: 15_000,
    handler: async (args, ctx) => {
      const to = recipient(args.to, ctx);
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

function callerOnly(ctx: Pick<CallToolContext, 'smsRecipients'>): boolean {
  return (ctx.smsRecipients ?? 'caller') === 'caller';
}

/** The number to text, or a ToolFailure the model can relay. */
function recipient(requested: string | undefined, ctx: CallToolContext): string {
  const caller = ctx.callerNumber ? toE164(ctx.callerNumber) : null;
  if (callerOnly(ctx)) {
    if (!caller) {
      throw ctx.direction === 'web'
        ? noPhoneLine(
            "This is a browser call, so there is no caller phone number, and this agent may only text the caller's own number. Say that a text cannot be sent here.",
          )
        : new ToolFailure("The caller's number is unknown, so no text can be sent.");
    }
    if (requested && requested !== caller) {
      throw new ToolFailure(
        "This agent may only text the caller's own number (the one they are calling from), not another number. Offer to text that number instead.",
        { reason: 'recipient_not_allowed' },
      );
    }
    return caller;
  }
  if (!requested && ctx.direction === 'web') {
    throw noPhoneLine(
      'This is a browser test call, so there is no caller phone number to text. Say so, and offer to text a number the caller gives.',
    );
  }
  const to = requested ?? caller;
  if (!to) throw new ToolFailure('There is no number to text; ask for one.');
  return to;
}
