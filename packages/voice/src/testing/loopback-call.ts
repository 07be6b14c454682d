/**
 * A whole call in memory: fake Twilio peer ⇄ MemorySocket ⇄ TwilioTransport ⇄ CallSession ⇄
 * the model under test. The CallSession tests use it with `ScriptedModel`; the model
 * conformance suite uses it with real adapters pointed at local fakes.
 */
import { CallSession } from '../call-session.ts';
import type { RealtimeModel } from '../realtime/types.ts';
import type { CallSessionEvents, CallSessionOptions, CallSetup } from '../session/types.ts';
import { TwilioTransport } from '../telephony/twilio.ts';
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
  /** Replaces the default `resolveConfig` entirely. */
  resolveConfig?: CallSessionOptions<C>['resolveConfig'];
  control?: CallSessionOptions<C>['control'];
  onFatal?: CallSessionOptions<C>['onFatal'];
  truncationMarginMs?: number;
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

export function createLoopbackCall<C extends object = Record<string, unknown>>(
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
  const defaultSetup: CallSetup<C> = {
    session: { model: 'test-model', instructions: 'Be brief.', credentials: { apiKey: 'test-key' } },
    toolContext: {} as C,
    ...options.setup,
  };
  const resolveConfig =
    options.resolveConfig ??
    (async (start: TelephonyStartInfo) => {
      starts.push(start);
      return defaultSetup;
    });
  const sessionOptions: CallSessionOptions<C> = { transport, model: options.model, tools, resolveConfig };
  if (options.control) sessionOptions.control = options.control;
  if (options.onFatal) sessionOptions.onFatal = options.onFatal;
  if (options.now) sessionOptions.now = options.now;
  if (options.truncationMarginMs !== undefined)
    sessionOptions.truncationMarginMs = options.truncationMarginMs;
  const session = new CallSession<C>(sessionOptions);

  const { events, of } = recordEvents<CallSessionEvents>(session, CALL_SESSION_EVENTS);

  return { session, transport, twilio, tools, events, of, starts, serverSocket, twilioSocket };
}

/**
 * Creates a loopback call, sends Twilio `connected` + `start`, and waits until the session is
 * live (or ended). Real adapters over real sockets need `waitMs`; scripted ones need none.
 */
export async function startLoopbackCall<C extends object = Record<string, unknown>>(
  options: LoopbackCallOptions<C>,
  waitMs = 0,
) {
  const call = createLoopbackCall(options);
  call.twilio.start();
  const deadline = Date.now() + waitMs;
  do {
    await flushMicrotasks(50);
    if (call.session.phase === 'live' || call.session.phase === 'ended') break;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  } while (Date.now() < deadline);
  return call;
}
