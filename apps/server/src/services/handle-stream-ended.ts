/**
 * POST /api/twiml/stream-ended: the `<Redirect>` after `<Connect>`, which Twilio runs when our
 * server closes a call's media stream. After a deliberate end (agent hang-up, timeouts, a
 * transfer) it hangs up. Otherwise the AI failed or the server lost the stream: the call is
 * marked failed (call-record/end-call.ts) and the caller hears an apology and can leave a
 * message (stored by store-recording.ts).
 */
import { endCall, isDeliberateEnd } from '../call-record/end-call.ts';
import type { RecordDeps } from '../call-record/update-call.ts';
import type { CallRow } from '../mappers/calls.ts';
import { apologyTwiml, hangupTwiml } from '../telephony/twiml.ts';

export async function handleStreamEnded(
  deps: RecordDeps,
  call: CallRow | null,
  publicUrl: string,
): Promise<string> {
  if (!call || isDeliberateEnd(call)) return hangupTwiml();
  await endCall(deps, call, { kind: 'stream_lost' });
  return apologyTwiml(`${publicUrl}/api/twiml/recording?callId=${call.id}`);
}
