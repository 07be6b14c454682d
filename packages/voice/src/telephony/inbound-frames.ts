/**
 * Screening of inbound frames, shared by the telephony transports: a frame must be text,
 * readable, within the size cap and parseable by the transport's own parser, or it is dropped.
 * Drops are counted in the transport's stats and reported as recoverable errors, but only up to
 * a cap, so a misbehaving peer cannot flood the error channel.
 */
import { VoiceError, type VoiceErrorCode } from '../errors.ts';
import { byteSize, toText } from './frame-text.ts';

export type FrameParseResult<M> = { ok: true; message: M } | { ok: false; reason: string };

export interface InboundFramesOptions<M> {
  /** Prefix of every reported message, e.g. `twilio`. */
  label: string;
  maxFrameBytes: number;
  /** Error events reported before further drops are only counted. */
  maxReportedErrors: number;
  parse(text: string): FrameParseResult<M>;
  /** The transport's counters, updated in place. */
  stats: { framesReceived: number; framesDropped: number };
  /** Receives each reported error (the transport emits it). */
  onError(error: VoiceError): void;
}

export class InboundFrames<M> {
  #options: InboundFramesOptions<M>;
  #reportedErrors = 0;

  constructor(options: InboundFramesOptions<M>) {
    this.#options = options;
  }

  /** Counts the frame and returns its message, or undefined after dropping it. */
  accept(data: unknown, isBinary: boolean): M | undefined {
    const { maxFrameBytes } = this.#options;
    this.#options.stats.framesReceived++;
    if (isBinary) {
      this.drop('telephony_binary_frame', 'binary frame');
      return undefined;
    }
    const size = byteSize(data);
    if (size === undefined) {
      this.drop('telephony_malformed_frame', 'unreadable frame');
      return undefined;
    }
    if (size > maxFrameBytes) {
      this.drop('telephony_frame_too_large', 'frame too large', { bytes: size, maxBytes: maxFrameBytes });
      return undefined;
    }
    const parsed = this.#options.parse(toText(data));
    if (!parsed.ok) {
      this.drop('telephony_malformed_frame', parsed.reason);
      return undefined;
    }
    return parsed.message;
  }

  /** Counts a dropped frame and reports why. */
  drop(code: VoiceErrorCode, message: string, details?: Record<string, unknown>): void {
    this.#options.stats.framesDropped++;
    this.report(code, message, details);
  }

  /** Reports a recoverable error unless the cap is reached. */
  report(code: VoiceErrorCode, message: string, details?: Record<string, unknown>): void {
    if (this.#reportedErrors >= this.#options.maxReportedErrors) return;
    this.#reportedErrors++;
    this.#options.onError(
      new VoiceError(code, `${this.#options.label}: ${message}`, { recoverable: true, details }),
    );
  }
}
