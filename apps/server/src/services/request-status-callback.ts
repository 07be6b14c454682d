/**
 * An inbound call reaches us through the voice webhook alone: Twilio sends it no status
 * callbacks unless asked. Once the webhook is answered, this asks for them through Twilio's Call
 * update API (`StatusCallback` + `StatusCallbackMethod=POST`; the update API takes no
 * `StatusCallbackEvent`, so Twilio sends the `completed` one — the call's final status, which is
 * what we need: the call then becomes final even when its media stream never started or the
 * process holding it died). Runs after the TwiML answer, never delaying it; a failure is logged,
 * not fatal — the reconcile job (call-record/reconcile-calls.ts) remains the safety net.
 */
import { twilioClientFor } from '../calls/twilio-control.ts';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import { describeTwilioError } from '../telephony/rest-client.ts';
import { twilioLogFields } from '../telephony/twilio-log.ts';
import type { TwilioCredentials } from './resolve-credentials.ts';

type Ctx = Pick<AppContext, 'db' | 'config' | 'secrets' | 'log'>;

/** The status callback URL of a call (the one outbound calls are created with). */
export function statusCallbackUrl(publicUrl: string, callId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/twiml/status?callId=${callId}`;
}

/** `credentials`: the organization's Twilio credentials when the webhook already read them. */
export async function requestStatusCallback(
  ctx: Ctx,
  call: Pick<CallRow, 'id' | 'organizationId' | 'providerCallSid'>,
  publicUrl: string,
  credentials?: TwilioCredentials,
): Promise<boolean> {
  if (!call.providerCallSid) return false;
  try {
    const client = await twilioClientFor(ctx, call.organizationId, credentials);
    if (!client) return false;
    await client.calls(call.providerCallSid).update({
      statusCallback: statusCallbackUrl(publicUrl, call.id),
      statusCallbackMethod: 'POST',
    });
    return true;
  } catch (error) {
    ctx.log.warn(
      { callId: call.id, ...twilioLogFields(describeTwilioError(error)) },
      'asking Twilio for the status callbacks of an inbound call failed',
    );
    return false;
  }
}
