/**
 * Twilio → server `start` payload (docs/telephony.md#media-streams-messages). Numbers are numbers,
 * counters are strings.
 */
export interface TwilioStartInfo {
  accountSid: string;
  streamSid: string;
  callSid: string;
  tracks: Array<'inbound' | 'outbound'>;
  mediaFormat: { encoding: 'audio/x-mulaw'; sampleRate: 8000; channels: 1 };
  customParameters: Record<string, string>;
}

/** A message the server sent to the simulated Twilio, with its arrival time. */
export interface ReceivedMessage {
  /** `media` | `mark` | `clear` (or the unknown event name for violations). */
  event: string;
  /** `performance.now()` when it arrived. */
  atMs: number;
  /** The parsed JSON message as sent. */
  message: Record<string, unknown>;
  /** For `media`: decoded payload length in bytes. */
  bytes?: number;
  /** For `mark`: `mark.name`. */
  name?: string;
}

/** Something real Twilio would flag (31950 binary frame; 31951 invalid message). */
export interface StreamViolation {
  code: 31950 | 31951;
  message: string;
  atMs: number;
  raw: string;
}

export interface CloseInfo {
  code: number;
  reason: string;
  /** Who started the close: the simulated caller (`stop()`), or the server. */
  by: 'client' | 'server';
  atMs: number;
}

/** Events of `MediaStreamClient` (typed `EventEmitter`). */
export interface MediaStreamEvents {
  /** The server sent audio (`payload` decoded); fires on arrival, before playout. */
  media: [{ payload: Buffer; atMs: number }];
  /** The server queued a mark. */
  mark: [{ name: string; atMs: number }];
  /** The simulator echoed a mark back; `cleared` when it was released by a `clear`, not by playback. */
  mark_sent: [{ name: string; cleared: boolean; atMs: number }];
  /** The server sent `clear`; `droppedMs` of queued audio was discarded. */
  clear: [{ atMs: number; droppedMs: number; marks: string[] }];
  /** A protocol violation by the server (message ignored unless noted). */
  violation: [StreamViolation];
  /** The socket closed. */
  closed: [CloseInfo];
}
