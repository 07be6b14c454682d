/**
 * The voice webhook (POST /api/twiml/connect-stream): Twilio asks what to do with a call — an
 * inbound call to one of our numbers, or an outbound call being answered (`?callId=`). The
 * signature is checked with the owning organization's token, the call row is made sure of (an
 * inbound row is created, idempotent on CallSid; an outbound row gets its CallSid), and the
 * answer connects the call's media stream with a fresh single-use stream token. A number no
 * organization owns, or a CallSid that does not match the call, hears a polite goodbye. A call
 * that is already final, or whose stream is live (a replayed webhook), gets `<Hangup/>` and no
 * token. An inbound call answered asks Twilio for its status callbacks
 * (request-status-callback.ts), in the background.
 */

import { calls, preparedQuery } from '@switchboard/db';
import { FINAL_CALL_STATUSES, isFinalCallStatus } from '@switchboard/shared';
import { and, count, eq, notInArray, sql } from 'drizzle-orm';
import { endCall } from '../call-record/end-call.ts';
import { updateCall } from '../call-record/update-call.ts';
import { DRAINING_MESSAGE } from '../calls/drain.ts';
import { mintStreamToken } from '../calls/stream-grants.ts';
import type { AppContext, ServiceDeps } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import {
  callStreamTwiml,
  hangupTwiml,
  sayAndHangupTwiml,
  UNKNOWN_NUMBER_MESSAGE,
} from '../telephony/twiml.ts';
import { findCall } from '../telephony/webhook-auth.ts';
import type { VoiceWebhookFields } from '../telephony/webhook-forms.ts';
import { requestStatusCallback } from './request-status-callback.ts';
import type { TwilioCredentials } from './resolve-credentials.ts';
import { findCallBySid, findNumberOwner, startInboundCall } from './start-inbound-call.ts';

type Ctx = Pick<AppContext, 'db' | 'live' | 'clock' | 'streamTokens'> &
  ServiceDeps & {
    lifecycle?: AppContext['lifecycle'];
    liveCalls?: AppContext['liveCalls'];
    config?: AppContext['config'];
    secrets?: AppContext['secrets'];
  };

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
  /**
   * Checks the signature with the organization's token (403 otherwise); may resolve with the
   * organization's Twilio credentials, which the status-callback request then uses.
   */
  verify: (organizationId: string | null) => Promise<TwilioCredentials | undefined>,
): Promise<{ status: 200 | 400; twiml: string }> {
  const { fields } = input;
  // Outbound calls carry our call id; inbound calls are found by the dialled number.
  const outbound = await findCall(ctx, input.callId);
  const owner = outbound ? null : await findNumberOwner(ctx, fields.to);
  const twilio = await verify(outbound?.organizationId ?? owner?.organizationId ?? null);
  // Built only when it is the answer (the TwiML builder costs ≈ 0.15 ms of the audio thread).
  const goodbye = () => sayAndHangupTwiml(UNKNOWN_NUMBER_MESSAGE);
  const { callSid } = fields;
  if (!callSid) return { status: 400, twiml: goodbye() };

  let call = outbound;
  if (call && !call.providerCallSid)
    call = (await updateCall(ctx, call, { providerCallSid: callSid })) ?? call;
  if (!call && owner && ctx.lifecycle?.draining) {
    ctx.log.info('voice webhook while draining: caller told the lines are busy');
    return { status: 200, twiml: sayAndHangupTwiml(DRAINING_MESSAGE) };
  }
  if (!call && owner) {
    // A new call (not a retried webhook) beyond the caps is refused, and the refusal logged as a call.
    const known = await findCallBySid(ctx, callSid);
    const refuse = !known && (await overCapacity(ctx, owner.organizationId));
    call =
      known ??
      (await startInboundCall(
        ctx,
        {
          ...owner,
          callSid,
          from: fields.from,
          to: fields.to,
          callStatus: fields.callStatus,
        },
        { unknownSid: true },
      ));
    if (refuse && call) {
      await endCall(ctx, call, {
        kind: 'failed',
        reason: 'capacity',
        message: 'All lines were busy (too many calls at once); the caller was asked to call again.',
      });
      return { status: 200, twiml: sayAndHangupTwiml(DRAINING_MESSAGE) };
    }
  }
  if (!call) {
    ctx.log.info({ direction: fields.direction }, 'voice webhook for a number no organization owns');
    return { status: 200, twiml: goodbye() };
  }
  if (call.providerCallSid !== callSid) {
    ctx.log.warn({ callId: call.id }, 'voice webhook CallSid does not match the call');
    return { status: 200, twiml: goodbye() };
  }
  if (isFinalCallStatus(call.status)) {
    ctx.log.warn({ callId: call.id, status: call.status }, 'voice webhook for a call that is over');
    return { status: 200, twiml: hangupTwiml() };
  }
  const twiml = await connectCallTwiml(ctx, input.publicUrl, call, callSid);
  if (!twiml) ctx.log.warn({ callId: call.id }, 'voice webhook for a call whose stream is live');
  // Twilio's final status for this inbound call too, asked for after (never before) the answer.
  const { config, secrets } = ctx;
  if (twiml && call.direction === 'inbound' && config && secrets) {
    const answered = call;
    setImmediate(
      () => void requestStatusCallback({ ...ctx, config, secrets }, answered, input.publicUrl, twilio),
    );
  }
  return { status: 200, twiml: twiml ?? hangupTwiml() };
}

/**
 * The call's media stream with a fresh single-use stream token carrying the `<Parameter>`s;
 * null while a stream of the call is live (`afterStream`: the previous one is known to be over).
 */
export async function connectCallTwiml(
  ctx: Pick<AppContext, 'db' | 'streamTokens' | 'clock'>,
  publicUrl: string,
  call: Pick<CallRow, 'id' | 'organizationId'>,
  callSid: string,
  parameters: Record<string, string> = {},
  options: { afterStream?: boolean } = {},
): Promise<string | null> {
  const token = await mintStreamToken(ctx, call, callSid, parameters, options);
  if (!token) return null;
  return callStreamTwiml({ publicUrl, callId: call.id, parameters: { token, ...parameters } });
}

const liveCallsOfOrg = preparedQuery('live_calls_of_org', (db, name) =>
  db
    .select({ live: count() })
    .from(calls)
    .where(
      and(
        eq(calls.organizationId, sql.placeholder('organizationId')),
        notInArray(calls.status, [...FINAL_CALL_STATUSES]),
      ),
    )
    .prepare(name),
);

/**
 * A new inbound call beyond MAX_CONCURRENT_CALLS (calls running in this process) or
 * MAX_CONCURRENT_CALLS_PER_ORG (the organization's live calls, in the database) is refused.
 */
async function overCapacity(ctx: Ctx, organizationId: string): Promise<boolean> {
  const limits = ctx.config?.limits.concurrentCalls;
  if (!limits) return false;
  if ((ctx.liveCalls?.size ?? 0) >= limits.perServer) {
    ctx.log.warn({ limit: limits.perServer }, 'inbound call refused: server at capacity');
    return true;
  }
  const [{ live } = { live: 0 }] = await liveCallsOfOrg(ctx.db).execute({ organizationId });
  if (live >= limits.perOrg)
    ctx.log.warn({ live, limit: limits.perOrg }, 'inbound call refused: organization at capacity');
  return live >= limits.perOrg;
}
