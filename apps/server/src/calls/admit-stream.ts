/**
 * Admission of a Twilio media stream, on its `start` message: the stream token (a TwiML
 * `<Parameter>`, telephony/stream-token.ts) must be authentic, unexpired and issued for this
 * CallSid; its nonce is consumed (calls/stream-grants.ts: once, for a call that is not final and
 * has no live stream); and the call row it names must exist for that CallSid. A refused stream
 * is closed before anything is built for it (no `stream_started`, no model session). The
 * stream's parameters (resume after a transfer) come from the signed token, not the message.
 */
import { calls, preparedQuery } from '@switchboard/db';
import type { TelephonyStartInfo, TelephonyTransport } from '@switchboard/voice';
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { type AdmittedCall, admitCall } from './admit-call.ts';
import { claimStream, releaseStream } from './stream-grants.ts';

export type StreamAdmission =
  | { ok: true; admitted: AdmittedCall; parameters: Record<string, string> }
  | { ok: false; reason: 'token' | 'call' | 'used' };

/** The call a stream token names, if it is still the call with that CallSid. */
const callOfStream = preparedQuery('call_of_stream', (db, name) =>
  db
    .select()
    .from(calls)
    .where(and(eq(calls.id, sql.placeholder('id')), eq(calls.providerCallSid, sql.placeholder('sid'))))
    .limit(1)
    .prepare(name),
);

export async function admitStream(
  ctx: AppContext,
  transport: TelephonyTransport,
  start: TelephonyStartInfo,
): Promise<StreamAdmission> {
  const claims = ctx.streamTokens.verify(start.customParameters.token, start.callSid, ctx.clock());
  if (!claims) return { ok: false, reason: 'token' };
  if (!(await claimStream(ctx, claims))) return { ok: false, reason: 'used' };
  const [call] = await callOfStream(ctx.db).execute({ id: claims.callId, sid: start.callSid });
  if (!call) {
    await releaseStream(ctx, claims.callId);
    return { ok: false, reason: 'call' };
  }
  const admitted = await admitCall(ctx, call, transport, { streamSid: start.streamSid });
  return { ok: true, admitted, parameters: claims.parameters };
}
