/**
 * A whole call in memory: fake Twilio peer ⇄ MemorySocket ⇄ TwilioTransport ⇄ CallSession ⇄
 * the model under test, built the way the server builds one: wait for `start`, admit it, then
 * construct the session with a finished setup. The CallSession tests use it with `ScriptedModel`.
 */
import { CallSession } from '../call-session.ts';
import type { RealtimeModel } from '../realtime/types.ts';
import type { CallSessionEvents, CallSessionOptions, CallSetup } from '../session/types.ts';
import { TwilioTransport } from '../telephony/twilio.ts';
import { waitForStart } from '../telephony/wait-for-start.ts';
import { ToolRegistry } from '../tools/registry.ts';
import type { TelephonyStartInfo } from '../types.ts';
import { type FakeTwilioOptions, FakeTwilioPeer } from './fake-twilio.ts';
import { createSocketPair, flushMicrotasks } from './memory-socket.ts';
import { type Recorded, recordEvents } from './record-events.ts';

export interface LoopbackCallOptions<C extends object> {
  model: RealtimeModel;
  tools?: ToolRegistry<C>;
  /** Merged over a default setup (model `test-model`, no tools, no greeting). */
  setup?: Partial<CallSetup<C>>;
  /** Admission of the stream on its `start` (default: admitted). Refused: the socket is closed, no session. */
  admit?: (start: TelephonyStartInfo) => boolean;
  control?: CallSessionOptions<C>['control'];
  onFatal?: CallSessionOptions<C>['onFatal'];
  truncationMarginMs?: number;
  inputChunkMs?: number;
  recording?: CallSessionOptions<C>['recording'];
  twilio?: FakeTwilioOptions;
  now?: () => number;
  /** Shared ordered log: gets `twilio:<event>` synchronously for every frame the server sends. */
  journal?: string[];
}

export type RecordedEvent = Recorded<CallSessionEvents>;

/** Every CallSession event, for recorders. */
export const CALL_SESSION_EVENTS: Array<keyof CallSessionEvents> = [
  'ready',
  'transcript',
  'tool_call',
  'playback',
  'barge_in',
  'metrics',
  'usage',
  'dtmf',
  'error',
  'ended',
];

/**
 * Creates a loopback call: Twilio sends `connected` + `start`, the stream is admitted and the
 * session built (not yet run). `session` is null when `admit` refused the stream.
 */
export async function createLoopbackCall<C extends object = Record<string, unknown>>(
  options: LoopbackCallOptions<C>,
) {
  const [serverSocket, twilioSocket] = createSocketPair();
  const journal = options.journal;
  if (journal) {
    const send = serverSocket.send.bind(serverSocket);
    serverSocket.send = (data: string) => {
      journal.push(`twilio:${(JSON.parse(data) as { event: string }).event}`);
      send(data);
    };
  }
  const transport = new TwilioTransport({ socket: serverSocket });
  const twilio = new FakeTwilioPeer(twilioSocket, options.twilio);
  const tools = options.tools ?? new ToolRegistry<C>();
  const starts: TelephonyStartInfo[] = [];
  twilio.start();
  const start = await waitForStart(transport);
  if (start) starts.push(start);
  if (!start || !(options.admit?.(start) ?? true)) {
    transport.close();
    await flushMicrotasks(50);
    return { session: null, transport, twilio, tools, starts, serverSocket, twilioSocket };
  }
  const setup: CallSetup<C> = {
    model: options.model,
    session: { model: 'test-model', instructions: 'Be brief.', credentials: { apiKey: 'test-key' } },
    toolContext: {} as C,
    ...options.setup,
  };
  const sessionOptions: CallSessionOptions<C> = { transport, setup, tools };
  if (options.control) sessionOptions.control = options.control;
  if (options.onFatal) sessionOptions.onFatal = options.onFatal;
  if (options.now) sessionOptions.now = options.now;
  if (options.recording) sessionOptions.recording = options.recording;
  if (options.truncationMarginMs !== undefined)
    sessionOptions.truncationMarginMs = options.truncationMarginMs;
  if (options.inputChunkMs !== undefined) sessionOptions.inputChunkMs = options.inputChunkMs;
  const session = new CallSession<C>(sessionOptions);

  const { events, of } = recordEvents<CallSessionEvents>(session, CALL_SESSION_EVENTS);

  return { session, transport, twilio, tools, events, of, starts, serverSocket, twilioSocket };
}

/**
 * Creates a loopback call, runs its session and waits until it is live (or ended). Real
 * adapters over real sockets need `waitMs`; scripted ones need none.
 */
export async function startLoopbackCall<C extends object = Record<string, unknown>>(
  options: LoopbackCallOptions<C>,
  waitMs = 0,
) {
  const call = await createLoopbackCall(options);
  if (!call.session) throw new Error('the loopback stream was refused; use createLoopbackCall');
  void call.session.run();
  const deadline = Date.now() + waitMs;
  do {
    await flushMicrotasks(50);
    if (call.session.phase === 'live' || call.session.phase === 'ended') break;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  } while (Date.now() < deadline);
  return { ...call, session: call.session };
}
