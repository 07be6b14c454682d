/**
 * Step 3 of a call, whatever carries it (a Twilio media stream, a browser socket): run it. With
 * the call admitted and its setup loaded, one `CallSession` is built with everything it needs
 * and run to the end, its events recorded (call-record/recorder.ts); the live-call registry
 * gets what the running call can do (hang up, speak, leave a voicemail, act on the outbound
 * answering-machine result). A call whose setup could not be loaded fails without a session.
 * The call leaves the registry once its final record is written (shutdown waits for that).
 */
import {
  type CallControlHooks,
  CallSession,
  type TelephonyTransport,
  type ToolRegistry,
} from '@switchboard/voice';
import type { CallRecorder } from '../call-record/recorder.ts';
import type { AppContext, Logger } from '../context.ts';
import { startRecording } from '../recordings/start-recording.ts';
import type { RecordingStore } from '../recordings/store.ts';
import type { CallToolContext } from '../tools/context.ts';
import type { AdmittedCall } from './admit-call.ts';
import type { LiveCallHandle } from './live-registry.ts';
import type { CallPlan, LoadedSetup } from './load-call-setup.ts';
import { OutboundOpening } from './outbound-opening.ts';
import { leaveVoicemail } from './voicemail.ts';

type Session = CallSession<CallToolContext>;

/** What the transport shows its user (the browser's notices); a phone call has nothing to show. */
export interface CallObserver {
  /** The call cannot start: its setup could not be loaded. `message` is safe to show. */
  refused?(message: string): void;
  /** The model failed (at start or mid-call); the call ends next. */
  failed?(detail: string, session: Session): void;
  /** The session is built and about to run: subscribe to its events here. */
  built?(session: Session): void;
}

export interface RunCallOptions {
  transport: TelephonyTransport;
  tools: ToolRegistry<CallToolContext>;
  /** How this transport hangs up and redirects (Twilio REST; the browser's own). */
  control: CallControlHooks;
  log: Logger;
  observer?: CallObserver;
  /** Where the call's recording goes when its agent records. */
  recordings?: RecordingStore;
  /** Caller audio to the model in chunks of at least this many ms (MODEL_INPUT_CHUNK_MS). */
  inputChunkMs?: number;
}

/** What every transport passes alike: where recordings go, how caller audio is chunked. */
export function sessionDefaults(ctx: AppContext): Pick<RunCallOptions, 'recordings' | 'inputChunkMs'> {
  return { recordings: ctx.recordings, inputChunkMs: ctx.config.modelInputChunkMs };
}

export async function runCall(
  admitted: AdmittedCall,
  loaded: LoadedSetup,
  options: RunCallOptions,
): Promise<void> {
  const { call, record } = admitted;
  const { log, observer } = options;
  if (!loaded.ok) {
    log.warn({ callId: call.id, reason: loaded.reason }, 'call failed');
    observer?.refused?.(loaded.message);
    await record.fail(loaded.reason, loaded.message);
    options.transport.close();
    return admitted.release();
  }
  const { plan } = loaded;
  if (plan.resumed) {
    record.event('stream_resumed', { after: 'transfer', transferStatus: plan.resumed.transferStatus });
  }
  const recording = await startRecording({
    store: options.recordings,
    call,
    record,
    transport: options.transport,
    recording: plan.agent.recording,
    resumed: Boolean(plan.resumed),
    log,
  });
  const session: Session = new CallSession<CallToolContext>({
    ...(recording ? { recording: recording.recorder } : {}),
    ...(options.inputChunkMs === undefined ? {} : { inputChunkMs: options.inputChunkMs }),
    transport: options.transport,
    setup: plan.setup,
    tools: options.tools,
    control: options.control,
    logger: log,
    onFatal: async ({ reason, error }) => {
      const detail = error?.message ?? reason;
      log.warn({ callId: call.id, reason }, 'call failed');
      observer?.failed?.(detail, session);
      await record.fail(reason, detail);
    },
  });
  record.attach(session as CallSession<object>, plan.agent.model);
  admitted.goLive(liveCall(session, plan, record));
  observer?.built?.(session);
  await session.run();
  await recording?.writer.closed;
  await admitted.release();
}

/** What the registry (dashboard hang-up, AMD callback, tools) can do with the running call. */
function liveCall(
  session: Session,
  plan: CallPlan,
  record: CallRecorder,
): Omit<LiveCallHandle, 'organizationId' | 'flushed'> {
  const say: NonNullable<LiveCallHandle['say']> = (instructions, opts) => session.say(instructions, opts);
  const hangup = (reason: string) => session.control.endCall({ reason, afterPlayback: false });
  const voicemail = (trigger: 'tool' | 'amd', interrupt: boolean) =>
    leaveVoicemail(
      {
        say,
        endCall: (reason) => session.control.endCall({ reason, afterPlayback: true }),
        record: async (data) => {
          record.event('voicemail', data);
          await record.update({ disposition: 'voicemail_left' });
        },
      },
      plan.voicemailMessage,
      { interrupt, trigger },
    );
  const handle = {
    hangup,
    say,
    leaveVoicemail: (opts?: { interrupt?: boolean }) => voicemail('tool', opts?.interrupt ?? true),
  };
  if (!plan.opening) return handle;

  const opening = new OutboundOpening({
    greeting: plan.opening.greeting,
    answeredBy: plan.opening.answeredBy,
    actions: { say, leaveVoicemail: () => voicemail('amd', true), hangup },
  });
  session.once('ready', () => opening.ready());
  session.on('transcript', () => opening.engaged());
  void session.finished.then(() => opening.stop());
  return { ...handle, answeredBy: (value) => opening.answeredBy(value) };
}
