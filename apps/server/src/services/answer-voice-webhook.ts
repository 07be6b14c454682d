/**
 * The voice webhook (POST /api/twiml/connect-stream): Twilio asks what to do with a call — an
 * inbound call to one of our numbers, or an outbound call being answered (`?callId=`). The
 * signature is checked with the owning organization's token, the call row is made sure of (an
 * inbound row is created, idempotent on CallSid; an outbound row gets its CallSid), and the
 * answer connects the call's media stream with a fresh stream token. A number no organization
 * owns, or a CallSid that does not match the call, hears a polite goodbye.
 */

import { updateCall } from '../call-record/update-call.ts';
import type { AppContext, ServiceDeps } from '../context.ts';
import { callStreamTwiml, sayAndHangupTwiml, UNKNOWN_NUMBER_MESSAGE } from '../telephony/twiml.ts';
import { findCall } from '../telephony/webhook-auth.ts';
import type { VoiceWebhookFields } from '../telephony/webhook-forms.ts';
import { findNumberOwner, startInboundCall } from './start-inbound-call.ts';

type Ctx = Pick<AppContext, 'db' | 'live' | 'clock' | 'streamTokens'> & ServiceDeps;

export interface VoiceWebhook {
  /** `?callId=` of an outbound call. */
  callId: string | null;
  fields: VoiceWebhookFields;
  /** Where Twilio reaches us (PUBLIC_URL). */
  publicUrl: string;
}

export async function answerVoiceWebhook(
  ctx: Ctx,
  input: VoiceWebhook,
  /** Checks the signature with the organization's token (403 otherwise). */
  verify: (organizationId: string | null) => Promise<void>,
): Promise<{ status: 200 | 400; twiml: string }> {
  const { fields } = input;
  // Outbound calls carry our call id; inbound calls are found by the dialled number.
  const outbound = await findCall(ctx, input.callId);
  const owner = outbound ? null : await findNumberOwner(ctx, fields.to);
  await verify(outbound?.organizationId ?? owner?.organizationId ?? null);
  const goodbye = sayAndHangupTwiml(UNKNOWN_NUMBER_MESSAGE);
  const { callSid } = fields;
  if (!callSid) return { status: 400, twiml: goodbye };

  let call = outbound;
  if (call && !call.providerCallSid)
    call = (await updateCall(ctx, call, { providerCallSid: callSid })) ?? call;
  if (!call && owner) {
    call = await startInboundCall(ctx, {
      ...owner,
      callSid,
      from: fields.from,
      to: fields.to,
      callStatus: fields.callStatus,
    });
  }
  if (!call) {
    ctx.log.info({ direction: fields.direction }, 'voice webhook for a number no organization owns');
    return { status: 200, twiml: goodbye };
  }
  if (call.providerCallSid !== callSid) {
    ctx.log.warn({ callId: call.id }, 'voice webhook CallSid does not match the call');
    return { status: 200, twiml: goodbye };
  }
  return { status: 200, twiml: connectCallTwiml(ctx, input.publicUrl, call.id, callSid) };
}

/** The call's media stream with a fresh stream token (and any extra `<Parameter>`s). */
export function connectCallTwiml(
  ctx: Pick<AppContext, 'streamTokens' | 'clock'>,
  publicUrl: string,
  callId: string,
  callSid: string,
  parameters: Record<string, string> = {},
): string {
  const token = ctx.streamTokens.sign({ callId, callSid }, ctx.clock());
  return callStreamTwiml({ publicUrl, callId, parameters: { token, ...parameters } });
}
