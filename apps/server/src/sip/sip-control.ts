/**
 * Call control for a SIP call, used by tools (end_call, transfer_call) and the dashboard's
 * hang-up. Hang-up is a BYE. A transfer is a blind REFER (RFC 3515) to the number the tool
 * dialled, at the trunk's host: the carrier then calls the human and we leave the call once it
 * reports success (NOTIFY 200), or bring the caller back to the agent when it reports failure.
 *
 * The transfer tool speaks TwiML (`<Dial><Number>`), the Twilio path's redirect; of that only
 * the number matters here. A warm transfer (whisper first) needs the call bridged through us,
 * which the SIP path does not do: the tool sends it cold (tools/transfer-call.ts).
 */
import type { SipCall } from '@switchboard/sip';
import type { CallControlHooks } from '@switchboard/voice';
import type { CallRecorder } from '../call-record/recorder.ts';

/** How long the carrier may take to report the transfer's outcome, ms. */
export const TRANSFER_OUTCOME_TIMEOUT_MS = 45_000;

export function sipCallControl(options: {
  call: SipCall;
  record: CallRecorder;
  /** Host (and port) of the trunk, where transfer targets are sent. */
  trunkHost: string;
}): CallControlHooks {
  const { call, record } = options;
  return {
    async hangup(reason) {
      await record.update({ endReason: 'agent_hangup' });
      record.event('hangup', { reason });
      await call.hangup(reason);
    },
    async redirect(twiml) {
      const number = /<Number[^>]*>\s*([+\d]+)\s*<\/Number>/.exec(twiml)?.[1];
      if (!number) throw new Error('The transfer names no number to call');
      const outcome = waitForOutcome(call);
      const status = await call.refer(`sip:${number}@${options.trunkHost}`);
      if (status !== 202 && status !== 200) {
        outcome.cancel();
        throw new Error(`The carrier refused the transfer (SIP ${status})`);
      }
      const final = await outcome.result;
      if (!final.ok) {
        // The transfer tool records the failure and brings the caller back to the agent.
        throw new Error(`The transfer did not go through (SIP ${final.status || 'timeout'})`);
      }
      record.event('transfer_result', { status: 'answered', sipStatus: final.status, connected: true });
      await record.update({ disposition: 'transferred' });
      // The session now ends as `transferred` and closes its transport: our BYE leaves the call.
    },
  };
}

/** The final NOTIFY of a REFER: ok for 2xx; status 0 when none came in time. */
function waitForOutcome(call: SipCall): { result: Promise<{ ok: boolean; status: number }>; cancel(): void } {
  let cancel = () => {};
  const result = new Promise<{ ok: boolean; status: number }>((resolve) => {
    const onProgress = (progress: { status: number; final: boolean }) => {
      if (!progress.final) return;
      done();
      resolve({ ok: progress.status < 300, status: progress.status });
    };
    const onEnded = () => {
      done();
      resolve({ ok: true, status: 200 }); // the carrier hung up on us: it took the call over
    };
    const timer = setTimeout(() => {
      done();
      resolve({ ok: false, status: 0 });
    }, TRANSFER_OUTCOME_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      call.off('transfer', onProgress);
      call.off('ended', onEnded);
    };
    cancel = done;
    call.on('transfer', onProgress);
    call.on('ended', onEnded);
  });
  return { result, cancel: () => cancel() };
}
