/**
 * The call timeline's vocabulary: every event type the server writes on a call, with the data
 * each carries (see docs/telephony.md "The call record"). The server writes only these; the
 * dashboard renders them. `atMs` of every event is milliseconds on the call's timeline.
 *
 * Data fields marked "personal" may hold what the caller said or typed; they are stored with the
 * call and never logged.
 */

/** A tool's structured error, as the model received it. */
export interface CallEventToolError {
  code: string;
  message: string;
  details?: unknown;
}

export interface CallEventData {
  /**
   * A media stream reached us and was admitted (Twilio `MZ…` id; `transport: 'browser'` for a
   * test call; `'sip'` for a SIP trunk call, with the trunk and the negotiated codec).
   */
  stream_started: {
    streamSid: string;
    transport?: 'browser' | 'sip' | 'widget_chat' | 'test_chat';
    trunkId?: string;
    codec?: string;
    /** A website widget session: the page's origin. */
    origin?: string;
  };
  /** The stream continues a call whose transfer was not answered (the agent apologises first). */
  stream_resumed: { after: 'transfer'; transferStatus?: string };
  /** The model is connected; `passthrough` when caller audio reaches it without conversion. */
  connected: { provider: string; connectMs: number; passthrough: boolean };
  /** A tool ran (also failed or cancelled). Personal: `arguments`, `result`. */
  tool_call: {
    name: string;
    arguments: unknown;
    ok: boolean;
    result?: unknown;
    error?: CallEventToolError;
    durationMs: number;
    /** The tool that ran this one, when the voice model did not call it directly. */
    via?: 'ask_supervisor';
  };
  /** The caller talked over the agent; the agent's audio was cut where the caller stopped hearing it. */
  barge_in: { clearLatencyMs: number; heardMs: number; forwardedMs: number; truncatedAtMs?: number };
  /** Caller stopped speaking → first agent audio sent, ms. */
  turn_latency: { turnLatencyMs: number };
  /** A key press; `handled` when a DTMF shortcut took it. Personal: `digit`. */
  dtmf: { digit: string; handled: boolean };
  /** What a DTMF shortcut's tool did. */
  dtmf_action: {
    digit: string;
    tool: string;
    ok: boolean;
    result?: unknown;
    error?: CallEventToolError;
    durationMs: number;
  };
  /** Something went wrong; the call went on when `recoverable`. */
  error: { code: string; message: string; recoverable: boolean };
  /** The call failed (no agent, no model key, the model could not be reached or dropped). */
  failed: { reason: string; message: string };
  /** The agent or the dashboard hung up. */
  hangup: { reason: string };
  /** The voicemail message was left: spoken by the agent (`tool`, `amd`) or read by Twilio (`via: 'twiml'`). */
  voicemail: { trigger: 'tool' | 'amd'; chars?: number; via?: 'twiml' };
  /** The agent started a transfer to a person. Personal: `reason`, `summary`. */
  transfer: { mode: 'cold' | 'warm'; reason: string; summary?: string; to: string };
  /**
   * How the transfer went: Twilio's `DialCallStatus`, or `failed` when Twilio refused the
   * redirect; over SIP `answered` or `failed` from the REFER's NOTIFY (`sipStatus`).
   */
  transfer_result: {
    status: string;
    sipStatus?: number;
    connected?: boolean;
    durationS?: number | null;
    next?: 'hangup' | 'back_to_agent';
    error?: string;
  };
  /** Twilio's answering-machine detection result, and who acted on it. */
  amd: { answeredBy: string; detectionMs: number | null; handledBy: 'session' | 'rest' };
  /** A media stream ended while the call goes on (transferred to a person). */
  stream_ended: { reason: string; detail?: string };
  /** The call's conversation ended (`reason`: the session's end reason). */
  ended: { reason: string; detail?: string };
}

export type CallEventType = keyof CallEventData;

const EVENT_TYPES: { [T in CallEventType]: true } = {
  stream_started: true,
  stream_resumed: true,
  connected: true,
  tool_call: true,
  barge_in: true,
  turn_latency: true,
  dtmf: true,
  dtmf_action: true,
  error: true,
  failed: true,
  hangup: true,
  voicemail: true,
  transfer: true,
  transfer_result: true,
  amd: true,
  stream_ended: true,
  ended: true,
};
/** Every event type the server writes, each once. */
export const CALL_EVENT_TYPES = Object.keys(EVENT_TYPES) as [CallEventType, ...CallEventType[]];

/** One event as the server writes it: a type and its data. */
export type CallEventInput = { [T in CallEventType]: { type: T; data: CallEventData[T] } }[CallEventType];

/** Bookkeeping events: kept for figures (latency) and diagnostics, not shown on a call's timeline. */
export const BOOKKEEPING_CALL_EVENTS: readonly CallEventType[] = ['turn_latency', 'stream_started'];
