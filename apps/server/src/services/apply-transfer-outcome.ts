/**
 * The outcome of a transfer, from the `<Dial action>` callback (POST /api/twiml/transfer-done,
 * `DialCallStatus`). Answered (`completed`/`answered`): the call is recorded as transferred and
 * Twilio hangs up once the human conversation ends. Otherwise (`busy`, `no-answer`, `failed`,
 * `canceled`) the caller goes back to the AI on a new media stream that starts with an apology
 * (calls/resume-after-transfer.ts), so the call's end reason is cleared for that stream to set.
 */
import { appendCallEvent } from '../call-record/append-call-event.ts';
import { markEndReason } from '../call-record/end-call.ts';
import { resumeParameters } from '../calls/resume-after-transfer.ts';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import { hangupTwiml } from '../telephony/twiml.ts';
import type { DialCallbackFields } from '../telephony/webhook-forms.ts';
import { connectCallTwiml } from './answer-voice-webhook.ts';

const ANSWERED = new Set(['completed', 'answered']);

/** The TwiML that follows the transfer: hang up, or back to the AI. */
export async function applyTransferOutcome(
  ctx: Pick<AppContext, 'db' | 'live' | 'clock' | 'streamTokens'>,
  call: CallRow | null,
  input: DialCallbackFields,
  publicUrl: string,
): Promise<string> {
  const { dialStatus } = input;
  if (!call || !dialStatus || call.providerCallSid !== input.callSid) return hangupTwiml();
  const connected = ANSWERED.has(dialStatus);
  const row = connected
    ? await markEndReason(ctx, call, 'transferred', 'transferred')
    : await markEndReason(ctx, call, null);
  await appendCallEvent(ctx, row ?? call, {
    type: 'transfer_result',
    data: {
      status: dialStatus,
      connected,
      durationS: input.durationS,
      next: connected ? 'hangup' : 'back_to_agent',
    },
  });
  if (connected) return hangupTwiml();
  const twiml = await connectCallTwiml(ctx, publicUrl, call, input.callSid, resumeParameters(dialStatus), {
    afterStream: true,
  });
  return twiml ?? hangupTwiml();
}
