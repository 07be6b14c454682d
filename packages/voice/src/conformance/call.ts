/**
 * One phone call for the conformance suite, over real sockets: the test kit's Twilio simulator
 * (`MediaStreamClient`, realtime playout) ⇄ WebSocket ⇄ `TwilioTransport`, or a SIP carrier ⇄
 * UDP/RTP ⇄ `SipTransport`; then `CallSession` ⇄ the adapter under test ⇄ its fake. Records
 * every CallSession event.
 */
import type { AddressInfo } from 'node:net';
import { mulawDecode } from '@switchboard/audio';
import { goertzelDb, toneMulaw } from '@switchboard/audio/testing';
import { MediaStreamClient } from '@switchboard/testkit';
import { WebSocketServer } from 'ws';
import { CallSession } from '../call-session.ts';
import type { RealtimeModel, SessionConfig } from '../realtime/types.ts';
import type { CallSessionEvents, CallSetup } from '../session/types.ts';
import { TwilioTransport } from '../telephony/twilio.ts';
import { waitForStart } from '../telephony/wait-for-start.ts';
import { CALL_SESSION_EVENTS } from '../testing/loopback-call.ts';
import { recordEvents } from '../testing/record-events.ts';
import { ToolRegistry } from '../tools/registry.ts';
import type { TelephonyTransport } from '../types.ts';
import { type ConformancePhone, type TransportKind, twilioPhone } from './phone.ts';
import { connectSipPair } from './sip-phone.ts';

/** The caller's voice: a tone the model side can find with Goertzel. */
export const CALLER_HZ = 1200;
/** The fakes' model voice (their default tone). */
export const MODEL_HZ = 440;

export interface CallOptions {
  model: RealtimeModel;
  session: Omit<SessionConfig, 'tools'>;
  tools?: ToolRegistry<Record<string, unknown>>;
  setup?: Partial<CallSetup<Record<string, unknown>>>;
  /** What carries the call (default twilio). */
  transport?: TransportKind;
}

const record = (session: CallSession) => recordEvents<CallSessionEvents>(session, CALL_SESSION_EVENTS);

export async function startCall(options: CallOptions) {
  const fatal: Array<{ reason: string }> = [];
  const tools = options.tools ?? new ToolRegistry<Record<string, unknown>>();
  // As the server does: wait for `start`, build the session with its setup, record, then run.
  const build = async (transport: TelephonyTransport): Promise<Built | null> => {
    if (!(await waitForStart(transport))) return null;
    const session = new CallSession<Record<string, unknown>>({
      transport,
      setup: {
        model: options.model,
        session: options.session,
        toolContext: {},
        silenceTimeoutMs: 0,
        ...options.setup,
      },
      tools,
      onFatal: (e) => {
        fatal.push({ reason: e.reason });
      },
    });
    const recorded = record(session);
    void session.run();
    return { session, ...recorded };
  };
  const { session, events, of, phone, teardown } =
    options.transport === 'sip' ? await overSip(build) : await overTwilio(build);

  /** Polls `probe` (the call spans several sockets, so there is no single event to wait on). */
  const until = async (probe: () => boolean, label: string, timeoutMs = 15_000): Promise<void> => {
    const start = Date.now();
    while (!probe()) {
      if (Date.now() - start > timeoutMs) {
        const seen = events.map((e) => e.event).join(', ');
        throw new Error(`timed out waiting for ${label} (events: ${seen})`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  return {
    session,
    phone,
    events,
    fatal,
    of,
    until,
    /** The caller talks: `ms` of tone, then `silenceMs` of silence (ends their turn). */
    say(ms: number, silenceMs = 700): Promise<void> {
      const audio = Buffer.concat([
        Buffer.from(toneMulaw(CALLER_HZ, ms, 0.5)),
        Buffer.alloc(silenceMs * 8, 0xff),
      ]);
      return phone.sendAudio(audio);
    },
    /** Everything the caller heard so far, decoded (PCM16 8 kHz). */
    heard(): Int16Array {
      return mulawDecode(phone.heard());
    },
    /** Final transcripts as `role: text`, in order. */
    finals(): string[] {
      return of('transcript')
        .filter((t) => t.final)
        .map((t) => `${t.role}: ${t.text}`);
    },
    async close(): Promise<void> {
      await phone.hangUp().catch(() => {});
      await Promise.race([session.finished, new Promise((r) => setTimeout(r, 3000))]);
      await teardown();
    },
  };
}

type Built = { session: CallSession } & ReturnType<typeof record>;
type Connected = Built & { phone: ConformancePhone; teardown(): Promise<void> };

type Build = (transport: TelephonyTransport) => Promise<Built | null>;

async function overTwilio(build: Build): Promise<Connected> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const built = new Promise<Built | null>((resolve) => {
    wss.once('connection', (socket) => resolve(build(new TwilioTransport({ socket }))));
  });
  const port = (wss.address() as AddressInfo).port;
  const client = await MediaStreamClient.connect(`ws://127.0.0.1:${port}/media`, { pacing: 'burst' });
  const session = await built;
  if (!session) throw new Error('the Twilio stream closed before it started');
  return {
    ...session,
    phone: twilioPhone(client),
    teardown: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

async function overSip(build: Build): Promise<Connected> {
  const pair = await connectSipPair();
  const session = await build(pair.transport);
  if (!session) throw new Error('the SIP call ended before it started');
  return { ...session, phone: pair.phone, teardown: () => pair.close() };
}

export type ConformanceCall = Awaited<ReturnType<typeof startCall>>;

/** Level of `hz` in dBFS over `samples` (Hann-windowed Goertzel). */
export function levelDb(samples: Int16Array, sampleRate: number, hz: number): number {
  return goertzelDb(samples, sampleRate, hz);
}
