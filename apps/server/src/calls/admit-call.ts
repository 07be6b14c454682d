/**
 * Step 1 of a call, whatever carries it: the one place a call is admitted. The transport's own
 * check comes first (admit-stream.ts: the stream token; admit-browser-call.ts: the user's token
 * and agent); then the call's record is opened on the timeline (`stream_started`) and the call
 * joins the live-call registry, so shutdown waits for its final record. Until the session runs,
 * hanging up closes the transport. Limits on admission (concurrent calls, draining) belong here.
 */
import type { CallEventData } from '@switchboard/shared';
import type { TelephonyTransport } from '@switchboard/voice';
import { CallRecorder } from '../call-record/recorder.ts';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { LiveCallHandle } from './live-registry.ts';

export interface AdmittedCall {
  call: CallRow;
  record: CallRecorder;
  /** What the running call can do (hang up, speak…), replacing the admission's hang-up. */
  goLive(handle: Omit<LiveCallHandle, 'organizationId' | 'flushed'>): void;
  /** Leaves the live-call registry once every write of the record is done. */
  release(): Promise<void>;
}

export async function admitCall(
  ctx: AppContext,
  call: CallRow,
  transport: TelephonyTransport,
  started: CallEventData['stream_started'],
): Promise<AdmittedCall> {
  const record = await CallRecorder.open(ctx, call);
  record.event('stream_started', started);
  const registered = { organizationId: call.organizationId, flushed: () => record.flushed() };
  let unregister = ctx.liveCalls.add(call.id, { ...registered, hangup: async () => transport.close() });
  return {
    call,
    record,
    goLive(handle) {
      unregister = ctx.liveCalls.add(call.id, { ...registered, ...handle });
    },
    async release() {
      await record.flushed();
      unregister();
    },
  };
}
