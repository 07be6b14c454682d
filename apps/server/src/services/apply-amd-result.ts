/**
 * The asynchronous answering-machine-detection result of an outbound call (POST /api/twiml/amd;
 * docs/tools.md "Outbound calls and answering machines"): recorded as `answered_by` and on the timeline, then
 * acted on. When the call's media stream runs in this process its session decides (greeting for
 * a person, voicemail after the beep — calls/outbound-opening.ts). Otherwise (another process
 * holds the stream, or it has not started) a machine gets the voicemail read by Twilio and a fax
 * is hung up, through REST.
 */
import { calls } from '@switchboard/db';
import { FINAL_CALL_STATUSES, isFinalCallStatus } from '@switchboard/shared';
import { isNull, notInArray } from 'drizzle-orm';
import { appendCallEvent } from '../call-record/append-call-event.ts';
import { markEndReason } from '../call-record/end-call.ts';
import { updateCall } from '../call-record/update-call.ts';
import { loadAgent } from '../calls/call-context.ts';
import { isMachine } from '../calls/outbound-opening.ts';
import { twilioClientFor } from '../calls/twilio-control.ts';
import { voicemailMessage } from '../calls/voicemail.ts';
import { campaignHangsUpOnVoicemail } from '../campaigns/voicemail.ts';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import { describeTwilioError } from '../telephony/rest-client.ts';
import { twilioLogFields } from '../telephony/twilio-log.ts';
import { sayAndHangupTwiml } from '../telephony/twiml.ts';
import type { AmdCallbackFields } from '../telephony/webhook-forms.ts';

export async function applyAmdResult(
  ctx: AppContext,
  call: CallRow | null,
  input: AmdCallbackFields,
): Promise<void> {
  const { answeredBy } = input;
  if (!call || !answeredBy) return;
  if (call.providerCallSid && input.callSid !== call.providerCallSid) return;
  // One conditional statement: an answer already recorded (a status callback's AnsweredBy, a
  // replayed callback) is never overwritten.
  const current = (await updateCall(ctx, call, { answeredBy }, isNull(calls.answeredBy))) ?? call;
  const local = ctx.liveCalls.get(current.organizationId, current.id);
  await appendCallEvent(ctx, current, {
    type: 'amd',
    data: { answeredBy, detectionMs: input.detectionMs, handledBy: local?.answeredBy ? 'session' : 'rest' },
  });
  // A campaign set to `voicemail: hangup` ends the call at the machine (docs/campaigns.md).
  if (isMachine(answeredBy) && (await campaignHangsUpOnVoicemail(ctx.db, current))) {
    await hangUpAtMachine(ctx, current);
    return;
  }
  if (local?.answeredBy) {
    local.answeredBy(answeredBy);
    return;
  }
  const machine = isMachine(answeredBy);
  if ((!machine && answeredBy !== 'fax') || isFinalCallStatus(current.status) || !current.providerCallSid)
    return;
  const client = await twilioClientFor(ctx, current.organizationId);
  if (!client) return;
  try {
    if (machine) {
      const agent = await loadAgent(ctx.db, current);
      const message = voicemailMessage(agent ?? { voicemailMessage: '', name: 'your caller' }, current.from);
      if (!(await markEndReason(ctx, current, 'voicemail', 'voicemail', stillLive()))) return;
      await client.calls(current.providerCallSid).update({ twiml: sayAndHangupTwiml(message) });
      await appendCallEvent(ctx, current, { type: 'voicemail', data: { trigger: 'amd', via: 'twiml' } });
    } else {
      if (!(await markEndReason(ctx, current, 'fax', 'fax', stillLive()))) return;
      await client.calls(current.providerCallSid).update({ status: 'completed' });
    }
  } catch (error) {
    ctx.log.warn(
      { callId: current.id, ...twilioLogFields(describeTwilioError(error)) },
      'acting on the AMD result failed',
    );
  }
}

async function hangUpAtMachine(ctx: AppContext, call: CallRow): Promise<void> {
  if (isFinalCallStatus(call.status) || !call.providerCallSid) return;
  const client = await twilioClientFor(ctx, call.organizationId);
  if (!client) return;
  try {
    if (!(await markEndReason(ctx, call, 'voicemail', 'voicemail', stillLive()))) return;
    await client.calls(call.providerCallSid).update({ status: 'completed' });
    await appendCallEvent(ctx, call, { type: 'hangup', data: { reason: 'campaign_voicemail_hangup' } });
  } catch (error) {
    ctx.log.warn(
      { callId: call.id, ...twilioLogFields(describeTwilioError(error)) },
      'hanging up at the answering machine failed',
    );
  }
}

/** The call has not ended meanwhile: an end reason is recorded (and acted on) only then. */
function stillLive() {
  return notInArray(calls.status, [...FINAL_CALL_STATUSES]);
}
