/**
 * The asynchronous answering-machine-detection result of an outbound call (protocols.md
 * §1.7.3): recorded as `answered_by` and on the timeline, then acted on. When the call's media
 * stream runs in this process its session decides (greeting for a person, voicemail after the
 * beep — calls/outbound-opening.ts). Otherwise (another process holds the stream, or it has not
 * started) a machine gets the voicemail read by Twilio and a fax is hung up, through REST.
 */
import { calls } from '@switchboard/db';
import { FINAL_CALL_STATUSES } from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import { loadAgent } from '../calls/call-setup.ts';
import { isMachine } from '../calls/outbound-opening.ts';
import { twilioClientFor } from '../calls/twilio-control.ts';
import { voicemailMessage, voicemailTwiml } from '../calls/voicemail.ts';
import type { AppContext } from '../context.ts';
import { type CallRow, toCallJson } from '../mappers/calls.ts';
import { describeTwilioError } from '../telephony/rest-client.ts';
import { twilioLogFields } from '../telephony/twilio-log.ts';
import { recordCallEvent } from './record-call-event.ts';

const FINAL = new Set<string>(FINAL_CALL_STATUSES);

export async function applyAmdResult(
  ctx: AppContext,
  call: CallRow,
  input: { answeredBy: string; detectionMs: number | null },
): Promise<void> {
  const [row] = await ctx.db
    .update(calls)
    .set({ answeredBy: input.answeredBy, updatedAt: ctx.clock() })
    .where(eq(calls.id, call.id))
    .returning();
  const current = row ?? call;
  ctx.live.publish(current.organizationId, { type: 'call.updated', call: toCallJson(current) });
  const local = ctx.liveCalls.get(current.organizationId, current.id);
  await recordCallEvent(ctx, current, 'amd', {
    answeredBy: input.answeredBy,
    detectionMs: input.detectionMs,
    handledBy: local?.answeredBy ? 'session' : 'rest',
  });
  if (local?.answeredBy) {
    local.answeredBy(input.answeredBy);
    return;
  }
  const machine = isMachine(input.answeredBy);
  if ((!machine && input.answeredBy !== 'fax') || FINAL.has(current.status) || !current.providerCallSid)
    return;
  const client = await twilioClientFor(ctx, current.organizationId);
  if (!client) return;
  try {
    if (machine) {
      const agent = await loadAgent(ctx.db, current);
      const message = voicemailMessage(agent ?? { voicemailMessage: '', name: 'your caller' }, current.from);
      await ctx.db
        .update(calls)
        .set({ endReason: 'voicemail', disposition: 'voicemail', updatedAt: ctx.clock() })
        .where(eq(calls.id, current.id));
      await client.calls(current.providerCallSid).update({ twiml: voicemailTwiml(message) });
      await recordCallEvent(ctx, current, 'voicemail', { trigger: 'amd', via: 'twiml' });
    } else {
      await ctx.db
        .update(calls)
        .set({ endReason: 'fax', disposition: 'fax', updatedAt: ctx.clock() })
        .where(eq(calls.id, current.id));
      await client.calls(current.providerCallSid).update({ status: 'completed' });
    }
  } catch (error) {
    ctx.log.warn(
      { callId: current.id, ...twilioLogFields(describeTwilioError(error)) },
      'acting on the AMD result failed',
    );
  }
}
