/**
 * The realtime speech-model contract. One adapter per provider (OpenAI Realtime GA in
 * `openai/`, Gemini Live in `gemini/`) implements {@link RealtimeModel}; `CallSession` only ever
 * branches on {@link ModelCapabilities}, never on the provider name.
 */
import type { VadType } from '@switchboard/shared';
import type { EventSource } from '../emitter.ts';
import type { ErrorEvent } from '../errors.ts';
import type { AudioFormat } from '../types.ts';

/** What a provider can do. The session adapts to these flags. */
export interface ModelCapabilities {
  /** `truncate(itemId, ms)` exists: the model can forget assistant audio the caller never heard. */
  truncation: boolean;
  /** The model detects caller speech itself and emits `speech_started`/`speech_stopped`. */
  serverVad: boolean;
  /** Input formats taken natively (passed through untouched). Others are converted by the adapter. */
  inputFormats: AudioFormat[];
  /** Native output format. When the session asks for another, the adapter converts at its edge. */
  outputFormat: AudioFormat;
  /** The model answers a tool result on its own; if false the session calls `createResponse()`. */
  autoReplyAfterToolResult: boolean;
  /**
   * The provider can resume a dropped session (Gemini `sessionResumption`): `ResilientModel`
   * then reconnects with `connect({ resume: { handle } })` instead of seeding a new session.
   */
  sessionResumption: boolean;
}

/** A function the model may call; `parameters` is a JSON Schema object. */
export interface FunctionDeclaration {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** Turn-taking and interruption tuning (per agent). Every field optional; adapters pick defaults. */
export interface ModelTuning {
  /** `server_vad` (energy, default) or `semantic_vad` (waits for the end of a thought; OpenAI only). */
  vadType?: VadType;
  /** server_vad activation threshold 0–1 (default 0.5; higher = needs louder speech). */
  vadThreshold?: number;
  /** server_vad: silence that ends a caller turn, ms (default 500, bounds 100–3000). */
  silenceDurationMs?: number;
  /** server_vad: audio kept before detected speech, ms (default 300, bounds 0–2000). */
  prefixPaddingMs?: number;
  /** semantic_vad: how quickly the model takes its turn (default `auto` = medium). */
  eagerness?: 'low' | 'medium' | 'high' | 'auto';
  /**
   * How easily the caller interrupts the agent. Used for server_vad when `vadThreshold` is
   * unset: `low` → 0.7, `medium` → 0.5, `high` → 0.35.
   */
  interruptionSensitivity?: 'low' | 'medium' | 'high';
  /** Input noise reduction (OpenAI `near_field` for handsets, `far_field` for speakerphones). */
  noiseReduction?: 'near_field' | 'far_field' | 'off';
  /** Speech speed multiplier 0.25–1.5 (default 1). */
  speed?: number;
}

/** Everything a model needs for one call. Credentials come from config or the database. */
export interface SessionConfig {
  /** Provider model name, e.g. `gpt-realtime`. */
  model: string;
  /** System instructions (see `composeInstructions`). */
  instructions: string;
  /** Provider voice name (OpenAI `marin`, `cedar`, …); adapter default when omitted. */
  voice?: string;
  /** BCP-47 language of the call (`en`, `en-US`, `fr-FR`); used for input transcription. */
  language?: string;
  /** Functions the model may call (from `ToolRegistry.declarations`). */
  tools: FunctionDeclaration[];
  tuning?: ModelTuning;
  /** Input transcription model (OpenAI default `gpt-4o-mini-transcribe`); `false` disables it. */
  transcriptionModel?: string | false;
  credentials: {
    apiKey: string;
    /** Overrides the adapter's endpoint (tests point it at a local fake). */
    url?: string;
  };
}

/** Options of {@link RealtimeModel.connect}. */
export interface ModelConnectOptions {
  session: SessionConfig;
  /** Format the caller's audio will arrive in (the telephony input format). */
  inputFormat: AudioFormat;
  /** Format the session wants audio back in (the telephony output format). */
  outputFormat: AudioFormat;
  /** Aborts connecting (the caller hung up meanwhile); the promise rejects with `model_aborted`. */
  signal?: AbortSignal;
}

/** Token usage, summed over responses. Missing provider fields are 0. */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  inputAudioTokens: number;
  inputTextTokens: number;
  cachedInputTokens: number;
  outputAudioTokens: number;
  outputTextTokens: number;
}

/** Events of a {@link ModelSession}. Item ids key playback; response ids are informational. */
export interface ModelSessionEvents {
  /** Assistant audio; `base64` is in `format` (= the requested output format). */
  audio: { base64: string; itemId: string; format: AudioFormat };
  /** The caller started talking (server VAD). Gemini maps `interrupted` here. Triggers barge-in. */
  speech_started: { itemId?: string; audioStartMs?: number };
  /** The caller stopped talking; the model will usually answer. Starts the turn-latency clock. */
  speech_stopped: { itemId?: string; audioEndMs?: number };
  /** Caller or assistant words. `final:false` = partial (cumulative text so far for the item). */
  transcript: { role: 'user' | 'assistant'; text: string; final: boolean; itemId: string };
  /** The model wants a function run. `arguments` is the raw JSON string, unvalidated. */
  tool_call: { callId: string; name: string; arguments: string };
  /** A response (turn of the model) began. Audio from earlier cancelled responses is stale after this. */
  response_started: { responseId: string };
  /** A response ended; `usage` when the provider reports it. */
  response_done: {
    responseId: string;
    status: 'completed' | 'cancelled' | 'failed' | 'incomplete';
    usage?: ModelUsage;
  };
  /** Provider error. Recoverable ones (bad event, truncate overshoot) leave the session usable. */
  error: ErrorEvent;
  /** The connection ended. `expected` is true only after our own `close()`. Fires once. */
  closed: { code: number; reason: string; expected: boolean };
}

/** One live connection to a realtime model, ready to use (session config acknowledged). */
export interface ModelSession extends EventSource<ModelSessionEvents> {
  readonly capabilities: ModelCapabilities;
  /** Appends caller audio (no acknowledgement). Untouched when `format` is native. */
  sendAudio(base64: string, format: AudioFormat): void;
  /** Returns a tool result (`output` is a string, usually JSON). `name` is needed by Gemini. */
  sendToolResult(callId: string, output: string, opts: { name: string }): void;
  /**
   * Asks the model to speak. `instructions` override the session instructions for this
   * response only (greeting, silence prompt). Deferred by the adapter while a response is active.
   */
  createResponse(instructions?: string): void;
  /** Cancels the active response, if any (no-op otherwise). */
  cancelResponse(): void;
  /** Cuts an assistant item to what the caller heard (only when `capabilities.truncation`). */
  truncate(itemId: string, audioEndMs: number): void;
  /** Tells the model the caller pressed a key and lets it respond (OpenAI: a user text message). */
  sendDtmf(digit: string): void;
  /** Closes the connection; `closed` fires with `expected: true`. Idempotent. */
  close(): Promise<void>;
}

/** A provider adapter: a factory of sessions. */
export interface RealtimeModel {
  /** Provider name for logs and metrics only; never branch on it. */
  readonly provider: string;
  readonly capabilities: ModelCapabilities;
  /**
   * Opens a session and resolves once the provider acknowledged the configuration.
   * Rejects with a `VoiceError` (`model_connect_failed`, `model_auth_failed`,
   * `model_timeout`, `model_rejected_config`, `unsupported_format`, `model_aborted`).
   */
  connect(options: ModelConnectOptions): Promise<ModelSession>;
}
