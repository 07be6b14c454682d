/**
 * What every telephony transport does with its WebSocket, whatever it speaks (Twilio Media
 * Streams, the browser protocol; a SIP bridge next): typed events whose listener errors are
 * reported as `error` events, inbound frames screened (inbound-frames.ts) and counted, socket
 * errors and send failures reported, never thrown from a socket callback.
 */
import { describeFormat, sameFormat } from '@switchboard/audio';
import { TypedEmitter } from '../emitter.ts';
import { errorEvent, listenerError, VoiceError, type VoiceErrorCode } from '../errors.ts';
import type { AudioFormat, Logger, SocketLike, TelephonyEvents } from '../types.ts';
import { type FrameParseResult, InboundFrames } from './inbound-frames.ts';

const OPEN = 1;

/** Counters for diagnostics (no personal data). */
export interface TransportStats {
  framesReceived: number;
  framesDropped: number;
  audioFramesReceived: number;
  audioFramesSent: number;
  marksSent: number;
}

/** What every transport is given: its accepted WebSocket and the caps on inbound frames. */
export interface SocketOptions {
  /** The accepted WebSocket (a `ws` WebSocket or a fake). */
  socket: SocketLike;
  /** Frames larger than this are dropped and reported, bytes (default: the transport's). */
  maxFrameBytes?: number;
  /** Error events reported before further dropped frames are only counted (default 20). */
  maxReportedErrors?: number;
  logger?: Logger;
}

/** How one transport speaks over its socket. */
export interface SocketProtocol<M> {
  /** Prefix of reported frame errors (`twilio`). */
  label: string;
  /** What the socket is called in socket errors (`media socket`). */
  socketName: string;
  defaultMaxFrameBytes: number;
  parse(text: string): FrameParseResult<M>;
  /** Whether inbound frames are still taken (false once the stream stopped or closed). */
  accepting(): boolean;
  onMessage(message: M): void;
  onClose(code: number, reason: string): void;
}

export class TransportSocket<M> {
  readonly events: TypedEmitter<TelephonyEvents>;
  readonly stats: TransportStats = {
    framesReceived: 0,
    framesDropped: 0,
    audioFramesReceived: 0,
    audioFramesSent: 0,
    marksSent: 0,
  };
  #options: SocketOptions;
  #protocol: SocketProtocol<M>;
  #inbound: InboundFrames<M>;

  constructor(options: SocketOptions, protocol: SocketProtocol<M>) {
    this.#options = options;
    this.#protocol = protocol;
    this.events = new TypedEmitter<TelephonyEvents>((error, event) => {
      if (event !== 'error') this.events.emit('error', errorEvent(listenerError(error, String(event))));
    });
    this.#inbound = new InboundFrames({
      label: protocol.label,
      maxFrameBytes: options.maxFrameBytes ?? protocol.defaultMaxFrameBytes,
      maxReportedErrors: options.maxReportedErrors ?? 20,
      parse: protocol.parse,
      stats: this.stats,
      onError: (error) => this.events.emit('error', errorEvent(error)),
    });
    const { socket } = options;
    socket.on('message', (data, isBinary) => {
      if (!protocol.accepting()) return;
      const message = this.#inbound.accept(data, isBinary);
      if (message) protocol.onMessage(message);
    });
    socket.on('close', (code, reason) => protocol.onClose(code, String(reason ?? '')));
    socket.on('error', (cause) => this.#socketError('error', false, cause));
  }

  /** Sends one JSON frame when the socket is open; false when it was not sent (a failure is reported). */
  send(message: object): boolean {
    return this.sendText(JSON.stringify(message));
  }

  /**
   * Sends two text frames in one write to the network where the socket allows it (a `ws` socket:
   * its TCP socket is corked around both sends); otherwise as two sends. Same checks as `send`.
   */
  sendPair(first: string, second: string): [boolean, boolean] {
    const socket = this.#options.socket;
    if (socket.readyState !== OPEN) return [false, false];
    const tcp = (socket as { _socket?: { cork?: () => void; uncork?: () => void } })._socket;
    const corked = typeof tcp?.cork === 'function' && typeof tcp.uncork === 'function';
    if (corked) tcp.cork?.();
    try {
      const a = this.sendText(first);
      return [a, this.sendText(second)];
    } finally {
      if (corked) tcp.uncork?.();
    }
  }

  /** Sends one prebuilt text frame when the socket is open; false when it was not sent. */
  sendText(text: string): boolean {
    if (this.#options.socket.readyState !== OPEN) return false;
    try {
      this.#options.socket.send(text);
      return true;
    } catch (cause) {
      this.#socketError('send failed', true, cause);
      return false;
    }
  }

  close(code: number, reason: string): void {
    try {
      this.#options.socket.close(code, reason);
    } catch (error) {
      this.#options.logger?.debug({ err: error }, `${this.#protocol.label} socket close failed`);
    }
  }

  /** Counts a dropped frame and reports why. */
  drop(code: VoiceErrorCode, message: string, details?: Record<string, unknown>): void {
    this.#inbound.drop(code, message, details);
  }

  /** Whether `format` is the one `who` plays; a mismatch is reported. */
  plays(format: AudioFormat, expected: AudioFormat, who: string): boolean {
    if (sameFormat(format, expected)) return true;
    const message = `${who} plays only ${describeFormat(expected)}`;
    this.report('unsupported_format', message, { format: describeFormat(format) });
    return false;
  }

  /** Reports a recoverable error (up to the cap). */
  report(code: VoiceErrorCode, message: string, details?: Record<string, unknown>): void {
    this.#inbound.report(code, message, details);
  }

  #socketError(what: string, recoverable: boolean, cause: unknown): void {
    const error = new VoiceError('telephony_socket_error', `${this.#protocol.socketName} ${what}`, {
      recoverable,
      cause,
    });
    this.events.emit('error', errorEvent(error));
  }
}
