/** What the benchmark's processes send each other over IPC (see ipc.ts). */

export type Provider = 'openai' | 'gemini';
export type Pacing = 'paced' | 'burst';

/** Caller-side tags: seq = callId × CALLER_TAG_SPAN + n (n = the call's nth frame). */
export const CALLER_TAG_SPAN = 2 ** 18;

export interface EventLoopStats {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** `start` for the fake-model child. */
export interface FakeStartArgs {
  provider: Provider;
  pacing: Pacing;
  apiKey: string;
  accountSid: string;
  authToken: string;
  /** Length of the greeting reply, ms. */
  greetingMs: number;
  /** Length of every later reply, ms. */
  replyMs: number;
  /** Serve the model over TLS with this certificate (bench/fake/tls-front.ts). */
  tls?: { certPath: string; keyPath: string };
}

export interface FakeStartResult {
  /** OPENAI_REALTIME_URL or GEMINI_BASE_URL for the server. */
  modelUrl: string;
  /** TWILIO_API_BASE_URL for the server. */
  twilioRestUrl: string;
  /**
   * OPENAI_BASE_URL for the server on the OpenAI path: the test kit's Chat Completions fake, so
   * each call's post-call analysis succeeds once, as in production (unreachable, it failed and
   * was retried after 30, 60 and 120 s, inside later steps).
   */
  textUrl?: string;
  pid: number;
}

/** One model session as the fake saw it. */
export interface FakeSessionData {
  index: number;
  /** The simulated call (named in the model's instructions, else by the caller tags), or -1. */
  callId: number;
  /** The call named by the caller tags that arrived (-1: none; differs from callId = harness bug). */
  tagCallId: number;
  /** Caller tags that arrived, and when (wall-clock ms). */
  inSeq: Float64Array;
  inWall: Float64Array;
  /** Wall-clock ms of each `speech_started` (OpenAI) or `interrupted` (Gemini) the fake sent. */
  speechStarts: number[];
  /** `bursts` marking: when each agent-audio burst was emitted, and when caller bursts arrived. */
  markerEmits: Float64Array;
  inOnsets: Float64Array;
  responses: number;
  errors: string[];
  closed: boolean;
}

/** `collect` from the fake-model child: everything since the previous collect. */
export interface FakeCollect {
  /** Model→caller tags `fromSeq … fromSeq + emitWall.length - 1`. */
  fromSeq: number;
  emitWall: Float64Array;
  /** The session that emitted each tag (index into the fake's sessions). */
  emitSession: Int32Array;
  /** 1 when the tag must reach the caller; 0 when emitted after a barge-in of its response. */
  expected: Uint8Array;
  sessions: FakeSessionData[];
  eventLoop: EventLoopStats;
}

/** `run` for the load-generator child: one ramp step. */
export interface LoadPlan {
  /** `twilio`: webhook + Media Stream; `sip`: an INVITE to `sipPort` and RTP both ways. */
  transport: 'twilio' | 'sip';
  /** The server's SIP port (transport `sip`). */
  sipPort: number | null;
  serverUrl: string;
  publicUrl: string;
  authToken: string;
  accountSid: string;
  /** The number the server answers. */
  to: string;
  calls: number;
  firstCallId: number;
  /** Each call lasts this long from its stream's start, ms. */
  durationMs: number;
  /** Calls start spread evenly over this window, ms. */
  arrivalMs: number;
  /** The caller interrupts this long after its stream started (null: never). */
  bargeInAtMs: number | null;
  /** Length of each caller utterance, ms. */
  utteranceMs: number;
  /** Speak again once the agent's reply has played out (a conversation). */
  turnTaking: boolean;
  /**
   * How frames are marked for latency: `tags` (byte tags, survive the OpenAI µ-law passthrough)
   * or `bursts` (tone-burst onsets, survive resampling; see markers.ts).
   */
  marks: 'tags' | 'bursts';
}

export interface CallResult {
  id: number;
  callSid: string;
  ok: boolean;
  failure: string | null;
  startWall: number;
  /** Stream open (after webhook + upgrade), wall-clock ms; NaN if it never opened. */
  connectWall: number;
  /** When the caller hung up, wall-clock ms. */
  stopWall: number;
  /** Model→caller tags received, and when (wall-clock ms, on arrival, before playout). */
  relaySeq: Float64Array;
  relayWall: Float64Array;
  /** Caller tag n was sent at sentWall[n] (NaN if never sent). */
  sentWall: Float64Array;
  /** The scripted interruption: when its first frame went out and what was still queued to play. */
  bargeIn: { onsetWall: number; bufferedMs: number } | null;
  /** Wall-clock ms of every `clear` received. */
  clears: Float64Array;
  /** `bursts` marking: when each caller burst went out, and when agent-audio burst onsets arrived. */
  markerSent: Float64Array;
  markerOnsets: Float64Array;
  /** Wall-clock ms the first media frame arrived. */
  firstMediaWall: number;
  mediaFrames: number;
  marksEchoed: number;
  violations: number;
  statusCallbackOk: boolean;
}

export interface LoadRunResult {
  calls: CallResult[];
  eventLoop: EventLoopStats;
}
