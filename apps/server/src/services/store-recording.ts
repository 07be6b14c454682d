/**
 * POST /api/twiml/recording: the message a caller left after the apology (handle-stream-ended.ts)
 * is stored on the call as its recording URL.
 */
import { type RecordDeps, updateCall } from '../call-record/update-call.ts';
import type { CallRow } from '../mappers/calls.ts';

export async function storeRecording(
  deps: RecordDeps,
  call: CallRow | null,
  url: string | null,
): Promise<void> {
  if (call && url) await updateCall(deps, call, { recordingUrl: url });
}
