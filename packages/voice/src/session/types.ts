/**
 * Contracts of `CallSession`: what the server passes in and the events it persists.
 * Every `atMs` is milliseconds since `run()` (the session's start, right after the stream's).
 */
import type { ErrorEvent } from '../errors.ts';
import type { ModelUsage, RealtimeModel, SessionConfig } from '../realtime/types.ts';
import type { CallAudioTap } from '../recording/call-audio-recorder.ts';
import type { ToolRegistry } from '../tools/registry.ts';
import type { CallControl, CallControlHooks, ToolError } from '../tools/types.ts';
import type { Logger, TelephonyTransport } from '../types.ts';
import type { LatencySummary } from './latency.ts';

/** Why a call ended. */
export type EndReason =
  /** Twilio sent `stop` (caller hung up, or the call was redirected elsewhere). */
  | 'caller_hangup'
  /** The media socket closed without `stop`. */
  | 'socket_closed'
  /** A tool (end_call) or DTMF action hung up. */
  | 'agent_hangup'
  /** A tool redirected the call (transfer). */
  | 'transferred'
  | 'max_duration'
  | 'silence_timeout'
  /** The model could not be reached at start (`onFatal` was called). */
  | 'model_unavailable'
  /** The model connection dropped mid-call (`onFatal` was called). */
  | 'model_disconnected';

/** A DTMF action: runs instead of telling the model about the key press. */
export type DtmfAction<C> = (args: {
  digit: string;
  control: CallControl;
  context: C;
  /** Aborted when the call ends. */
  signal: AbortSignal;
  /** `CallSession.say`: lets the agent explain what the key did (or why it did not work). */
  say(instructions: string): Promise<boolean>;
}) => void | Promise<void>;

/**
 * Everything one call needs, complete before its session is built: the server loads it after
 * admitting the stream (agent, caller, credentials, greeting, tools). Nothing changes it later.
 */
export interface CallSetup<C> {
  /** The model adapter for this call (the agent's provider). */
  model: RealtimeModel;
  /** Model configuration; `tools` is filled from the registry and `enabledTools`. */
  session: Omit<SessionConfig, 'tools'>;
  /** Tool names this agent may use (default none). Unknown names are skipped. */
  enabledTools?: readonly string[];
  /** Said first, right after connecting; empty or omitted = wait for the caller to speak. */
  greeting?: string;
  /** Opaque plain object merged into every tool's context (organization, call, prospect ids…). */
  toolContext: C;
  /** Hard limit on the call, ms (default 1 800 000 = 30 min, bounds 10 000–14 400 000). */
  maxDurationMs?: number;
  /** Silence (no caller speech, agent idle) before a prompt, then again before hanging up, ms (default 30 000; 0 disables). */
  silenceTimeoutMs?: number;
  /** Response instructions for the silence prompt (default `DEFAULT_SILENCE_PROMPT`). */
  silencePrompt?: string;
  /** Digit → action. Digits without an action are sent to the model. */
  dtmfActions?: Readonly<Record<string, DtmfAction<C>>>;
}

export interface CallSessionOptions<C> {
  /** The phone side, already past `start` (`waitForStart`); a stopped or closed one ends the call at once. */
  transport: TelephonyTransport;
  setup: CallSetup<C>;
  tools: ToolRegistry<C>;
  /** Server-side call control (Twilio REST). Default: hang-up closes the media socket; redirect fails. */
  control?: CallControlHooks;
  /** The model failed at start or mid-call; redirect the live call to an apology. Errors are reported, not thrown. */
  onFatal?(event: {
    reason: 'model_unavailable' | 'model_disconnected';
    error?: ErrorEvent['error'];
  }): Promise<void> | void;
  /** Truncation safety margin below forwarded audio, ms (default 100, bounds 0–500). */
  truncationMarginMs?: number;
  /**
   * Caller audio goes to the model in chunks of at least this many ms (session/input-chunker.ts):
   * fewer writes, at most one frame's wait. Default 0: every frame as it comes.
   */
  inputChunkMs?: number;
  logger?: Logger;
  /** Clock (default `Date.now`); tests inject a fake one. */
  now?: () => number;
  /** The call's recording (recording/call-audio-recorder.ts): both directions, as heard. */
  recording?: CallAudioTap;
}

export interface TurnLatency {
  /** Caller speech stopped → first agent audio sent to the phone, ms (includes tool time). */
  turnLatencyMs: number;
  atMs: number;
}

/** Events of a `CallSession`, in the order they can occur. */
export interface CallSessionEvents {
  /** The model is connected and configured; audio now flows both ways. */
  ready: { atMs: number; connectMs: number; provider: string; passthrough: boolean };
  /** Caller or agent words; `final:false` partials carry the cumulative text. Personal data. */
  transcript: { role: 'user' | 'assistant'; text: string; final: boolean; itemId: string; atMs: number };
  /** A tool run finished (also when it failed or was cancelled by a hang-up). Personal data in arguments/result. */
  tool_call: {
    callId: string;
    name: string;
    /** Parsed JSON arguments, or the raw string when not JSON. */
    arguments: unknown;
    ok: boolean;
    result?: unknown;
    error?: ToolError;
    durationMs: number;
    atMs: number;
  };
  /** An assistant item finished playing, or was cut by a barge-in (`interrupted`). */
  playback: { itemId: string; heardMs: number; forwardedMs: number; interrupted: boolean; atMs: number };
  /** The caller talked over the agent: `clear` was sent and the item truncated (when supported). */
  barge_in: {
    itemId: string;
    /** speech_started received → `clear` sent, ms. */
    clearLatencyMs: number;
    heardMs: number;
    forwardedMs: number;
    /** Where the model's item was cut; undefined when the model cannot truncate. */
    truncatedAtMs?: number;
    atMs: number;
  };
  /** One agent turn's latency. */
  metrics: TurnLatency;
  /** Usage of one model response. */
  usage: { responseId: string; usage: ModelUsage; atMs: number };
  /** A key press; `handled` when a DTMF action took it. Personal data. */
  dtmf: { digit: string; handled: boolean; atMs: number };
  /** Something went wrong; the call continues if `recoverable`. */
  error: ErrorEvent & { atMs: number };
  /** The call is over; fires exactly once, last. */
  ended: {
    reason: EndReason;
    /** Free-form reason given by a tool's `hangup(reason)`. */
    detail?: string;
    durationMs: number;
    usage: ModelUsage;
    latency: LatencySummary;
    bargeIns: number;
    toolCalls: number;
  };
}
