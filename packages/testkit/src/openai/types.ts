import type { VadTuning } from './vad.ts';

/** What the assistant says in a scripted turn. */
export interface ScriptSay {
  /** Transcript (sent as `response.output_audio_transcript.delta`s). */
  text: string;
  /** Exact output audio bytes (already in the session's output format). Default: a tone. */
  audio?: Uint8Array;
  /** Audio length when `audio` is not given. Default: 70 ms per character, at least 300 ms. */
  durationMs?: number;
}

/**
 * One scripted assistant turn. Turns are consumed in order, one per response.
 * `on` says which trigger the turn expects: `greeting` (a `response.create` with no new user
 * input), `user_turn` (a committed user turn, by VAD or commit), `tool_output` (a
 * `response.create` after a `function_call_output`), `any`. A mismatch does not block the script;
 * it is recorded in `session.scriptMismatches` so tests can assert on it.
 */
export interface ScriptTurn {
  on?: 'greeting' | 'user_turn' | 'tool_output' | 'any';
  say?: ScriptSay;
  /** Make the response (after `say`, if any) a function call. */
  toolCall?: { name: string; arguments: object; callId?: string };
  /** Transcript of the user speech that triggers this turn (needs `audio.input.transcription`). */
  userTranscript?: string;
  /** Model "think time" before the first output event after `response.created` (ms, default: server option). */
  delayMs?: number;
}

export interface FakeOpenAIRealtimeOptions {
  /** Bearer key to require; when omitted any non-empty key is accepted. */
  apiKey?: string;
  /** The script every session plays (each session has its own cursor). */
  script?: ScriptTurn[];
  /** Per-session script instead of `script` (index = connection order). */
  scriptFor?: (sessionIndex: number, model: string) => ScriptTurn[];
  /** Reply when the script is exhausted (default: "Okay." with a tone). */
  defaultSay?: ScriptSay;
  /** `paced` (default): 20 ms of audio every 20 ms. `burst`: everything at once. */
  pacing?: 'paced' | 'burst';
  /** Paced speed factor (1 = real time; 4 = four times faster). */
  speed?: number;
  /** Audio per `response.output_audio.delta` (ms). Default 20 paced, 100 burst. */
  chunkMs?: number;
  /** Tone frequency of generated speech (Hz, default 440). */
  toneHz?: number;
  /** Tag every generated 20 ms delta for latency measurement (forces `chunkMs: 20`). */
  tagAudio?: boolean;
  /** Default think time before a response's first output (ms, default 0). */
  responseDelayMs?: number;
  /** Delay of `…input_audio_transcription.completed` after the user item (ms, default 0). */
  transcriptionDelayMs?: number;
  /** Energy VAD tuning. */
  vad?: VadTuning;
  /** Keep every session's input audio for `session.inputAudio()` (default true). */
  keepInputAudio?: boolean;
  /** Record every server event type/time in `session.serverEvents` (default true). */
  logServerEvents?: boolean;
  /**
   * Log audio events (`input_audio_buffer.append` in `clientEvents`, `response.output_audio.delta`
   * in `serverEvents`); default true. Turn off for long load runs: it is one record per 20 ms.
   */
  logAudioEvents?: boolean;
  /** Send `rate_limits.updated` at the start of each response (default true). */
  rateLimits?: boolean;
  /** Close connections that send `OpenAI-Beta: realtime=v1` with 4000 `beta_api_shape_disabled` (default true). */
  rejectBetaHeader?: boolean;
  /** Serve `wss://` with this key/cert (for the `openai` SDK, which always uses wss). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Upgrade path (default `/v1/realtime`). */
  path?: string;
}

/** A client event as received (audio payloads replaced by their byte count). */
export interface ClientEventRecord {
  atMs: number;
  type: string;
  event: Record<string, unknown>;
}

export interface ResponseRecord {
  id: string;
  trigger: 'greeting' | 'user_turn' | 'tool_output';
  /** Index of the script turn played, or -1 for the default reply. */
  turnIndex: number;
  status: 'in_progress' | 'completed' | 'cancelled';
  startedAtMs: number;
  doneAtMs: number | null;
  /** `response.instructions` from `response.create`, if any. */
  instructions: string | null;
  itemIds: string[];
  /** Audio sent in this response (ms). */
  audioMs: number;
}

export interface TruncationRecord {
  atMs: number;
  itemId: string;
  contentIndex: number;
  audioEndMs: number;
  /** Audio the fake had sent for that item (ms). */
  itemAudioMs: number;
  ok: boolean;
  error?: string;
}

export interface CancelRecord {
  atMs: number;
  by: 'client' | 'server';
  responseId: string | null;
  ok: boolean;
}

/** A `speech_started` the fake sent, and what the client did about it afterwards. */
export interface SpeechStartRecord {
  atMs: number;
  /** The user item the speech becomes. */
  itemId: string;
  audioStartMs: number;
  /** The response streaming when the caller started speaking (a server-side barge-in), else null. */
  activeResponseId: string | null;
  /** The fake cancelled that response itself (`interrupt_response`). */
  serverCancelled: boolean;
  /** Latest assistant audio item before the speech (what the client may need to truncate). */
  lastAssistantItemId: string | null;
  /** Truncates/cancels the client sent after this speech start, until the next response. */
  clientActions: Array<{ type: 'truncate' | 'cancel'; atMs: number; itemId?: string; audioEndMs?: number }>;
}
