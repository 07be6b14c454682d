/**
 * The voice engine's contracts. Core code depends on these interfaces only; providers
 * (Twilio, OpenAI, Gemini, a browser socket) are leaves that implement them.
 *
 * Model and tool contracts live beside their code and are re-exported here so that
 * `import type { … } from '@switchboard/voice'` finds every contract in one place.
 */

import type { AudioFormat } from '@switchboard/audio';
import type { EventSource } from './emitter.ts';
import type { ErrorEvent } from './errors.ts';

/**
 * The format of a stream of audio frames (`encoding` pcmu | pcma | pcm16, `sampleRate`
 * 8000 | 16000 | 24000, `channels` 1), shared with `@switchboard/audio`.
 */
export type { AudioFormat } from '@switchboard/audio';
export type { EventSource, Listener } from './emitter.ts';
export type { ErrorEvent, VoiceErrorCode } from './errors.ts';
export type * from './realtime/types.ts';
export type * from './tools/types.ts';

/** Structured logger (pino-compatible). Put personal data only under a `pii` field. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * The minimal surface of a server-side WebSocket (a `ws` WebSocket satisfies it), so core code
 * never depends on one server library. Fakes implement it in memory.
 */
export interface SocketLike {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED (WHATWG / `ws` values). */
  readonly readyState: number;
  /** Bytes queued by `send` and not yet written to the network. */
  readonly bufferedAmount: number;
  /** Sends one text frame. */
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `data` is a Buffer/ArrayBuffer/Buffer[] (ws) or a string (fakes); `isBinary` as in ws. */
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What the phone side tells us when a media stream starts. */
export interface TelephonyStartInfo {
  /** Provider call id (Twilio `CA…`). */
  callSid: string;
  /** Provider stream id (Twilio `MZ…`). */
  streamSid: string;
  /** Provider account id (Twilio `AC…`), when given. */
  accountSid?: string;
  /** TwiML `<Parameter>`s; carries the stream token. May hold personal data: log under `pii`. */
  customParameters: Record<string, string>;
  /** Format of inbound audio (Twilio: µ-law 8 kHz mono). */
  mediaFormat: AudioFormat;
  /** Tracks in this stream (`["inbound"]` for a bidirectional `<Connect><Stream>`). */
  tracks: string[];
}

/**
 * Where a media stream is: `waiting` for the provider's `start`, `started`, `stopped` by the
 * provider (hang-up, redirect), or `closed` (the socket is gone, or we closed it).
 */
export type TransportState = 'waiting' | 'started' | 'stopped' | 'closed';

/** Events of a {@link TelephonyTransport}. */
export interface TelephonyEvents {
  /** Once, when the stream starts (see `waitForStart`). The server admits the stream on it (token). */
  start: TelephonyStartInfo;
  /** Each inbound caller audio frame; `payload` is base64 in `format`, never decoded here. */
  audio: { payload: string; format: AudioFormat; timestampMs: number };
  /** A mark we sent came back: the audio queued before it finished playing (or was cleared). */
  mark: { name: string };
  /** The caller pressed a key (`0-9`, `*`, `#`, `A-D`). Personal data. */
  dtmf: { digit: string };
  /** The provider ended the stream (hang-up, redirect). `closed` follows. */
  stop: { reason?: string };
  /** The socket closed (after `stop`, or abruptly). Fires once; nothing fires after it. */
  closed: { code: number; reason: string };
  /** A malformed/out-of-order frame was dropped (recoverable) or the socket failed (not). */
  error: ErrorEvent;
}

/**
 * The phone side of a call: a Twilio media stream or the dashboard's browser socket. The server
 * waits for `start` (`waitForStart`), admits the stream, loads the call's setup and only then
 * hands the started transport to a `CallSession`.
 */
export interface TelephonyTransport extends EventSource<TelephonyEvents> {
  /** Where the stream is; a session given a stopped or closed transport ends at once. */
  readonly state: TransportState;
  /** What `start` said, once it came (undefined while `waiting`, and after a close before it). */
  readonly startInfo: TelephonyStartInfo | undefined;
  /** Format of inbound caller audio (valid once `start` fired; Twilio: µ-law 8 kHz). */
  readonly inputFormat: AudioFormat;
  /** The only format `sendAudio` accepts (Twilio: µ-law 8 kHz). */
  readonly outputFormat: AudioFormat;
  /** Queues base64 audio for playback. Dropped (with an `error`) before start or in the wrong format. */
  sendAudio(payload: string, format: AudioFormat): void;
  /** Drops all queued playback; the provider then echoes every pending mark at once. */
  clear(): void;
  /** Queues a mark after the audio sent so far; it comes back as a `mark` event when played. */
  sendMark(name: string): void;
  /**
   * Optional: `sendAudio` then `sendMark` in one socket write (same checks, same order). Callers
   * fall back to the two calls when a transport does not have it.
   */
  sendAudioAndMark?(payload: string, format: AudioFormat, name: string): void;
  /** Closes the media socket (for Twilio, the call continues with the TwiML after `<Connect>`). */
  close(): void;
}
