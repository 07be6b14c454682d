/**
 * Error classification for the voice engine. Long-lived objects never throw from socket
 * callbacks; they emit `{ error, recoverable }` where `error` is a {@link VoiceError}.
 * Messages never contain personal data (phone numbers, transcripts, DTMF digits).
 */

/** Stable machine-readable error codes. Extend, don't rename: the server maps them. */
export type VoiceErrorCode =
  // telephony (Twilio Media Streams)
  | 'telephony_malformed_frame'
  | 'telephony_binary_frame'
  | 'telephony_frame_too_large'
  | 'telephony_out_of_order'
  | 'telephony_not_started'
  | 'telephony_socket_error'
  // realtime model
  | 'model_connect_failed'
  | 'model_auth_failed'
  | 'model_rate_limited'
  | 'model_timeout'
  | 'model_rejected_config'
  | 'model_protocol'
  | 'model_server_error'
  | 'model_disconnected'
  | 'model_aborted'
  // shared
  | 'unsupported_format'
  | 'config_rejected'
  | 'listener_failed'
  | 'hook_failed'
  | 'tool_failed';

export interface VoiceErrorOptions {
  /** True when the call can go on (a dropped frame); false when it cannot (auth failure). */
  recoverable: boolean;
  /** The underlying error, kept for the server's logs. */
  cause?: unknown;
  /** Non-personal structured details (sizes, event names, provider codes). */
  details?: Record<string, unknown>;
}

export class VoiceError extends Error {
  override readonly name = 'VoiceError';
  readonly code: VoiceErrorCode;
  readonly recoverable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: VoiceErrorCode, message: string, options: VoiceErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.recoverable = options.recoverable;
    this.details = options.details;
  }
}

/** Payload of every `error` event in this package. */
export interface ErrorEvent {
  error: VoiceError;
  /** Same as `error.recoverable`, repeated so listeners can branch without unpacking. */
  recoverable: boolean;
}

export function errorEvent(error: VoiceError): ErrorEvent {
  return { error, recoverable: error.recoverable };
}

/** Wraps anything thrown into a VoiceError without copying its message into ours. */
export function toVoiceError(code: VoiceErrorCode, message: string, cause: unknown, recoverable: boolean) {
  return cause instanceof VoiceError ? cause : new VoiceError(code, message, { recoverable, cause });
}

/** A listener of ours threw; reported instead of propagating into a socket callback. */
export function listenerError(cause: unknown, event: string): VoiceError {
  return new VoiceError('listener_failed', `a listener for "${event}" threw`, { recoverable: true, cause });
}

/** The model's connection closed without our asking: the call cannot go on. */
export function modelDropped(code: number, reason: string): VoiceError {
  const details = { code, reason };
  return new VoiceError('model_disconnected', 'model connection dropped', { recoverable: false, details });
}
