/**
 * Admission of a Twilio media stream, on its `start` message: the stream token (a TwiML
 * `<Parameter>`, telephony/stream-token.ts) must be authentic, unexpired and issued for this
 * CallSid, and the call row it names must exist for that CallSid. A refused stream is closed
 * before anything is built for it.
 */
import { calls } from '@switchboard/db';
import type { TelephonyStartInfo, TelephonyTransport } from '@switchboard/voice';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { type AdmittedCall, admitCall } from './admit-call.ts';

export type StreamAdmission = { ok: true; admitted: AdmittedCall } | { ok: false; reason: 'token' | 'call' };

export async function admitStream(
  ctx: AppContext,
  transport: TelephonyTransport,
  start: TelephonyStartInfo,
): Promise<StreamAdmission> {
  const claims = ctx.streamTokens.verify(start.customParameters.token, start.callSid, ctx.clock());
  if (!claims) return { ok: false, reason: 'token' };
  const [call] = await ctx.db
    .select()
    .from(calls)
    .where(and(eq(calls.id, claims.callId), eq(calls.providerCallSid, start.callSid)))
    .limit(1);
  if (!call) return { ok: false, reason: 'call' };
  return { ok: true, admitted: await admitCall(ctx, call, transport, { streamSid: start.streamSid }) };
}
