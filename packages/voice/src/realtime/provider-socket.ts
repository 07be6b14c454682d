/**
 * The socket side both realtime sessions share once the handshake is done: frames that arrived
 * before anyone could listen are replayed first, sends are dropped once closing or closed, a
 * socket error becomes one `model_disconnected`, and `close()` ends the connection cleanly (or
 * terminates it after 2 s). Each session keeps only its protocol: what frames mean.
 */

import { describeFormat, sameFormat } from '@switchboard/audio';
import type { WebSocket } from 'ws';
import { VoiceError } from '../errors.ts';
import type { AudioFormat } from '../types.ts';
import type { EarlyFrame } from './handshake.ts';

const OPEN = 1;
const FORCE_CLOSE_MS = 2000;

export interface ProviderSocketOptions {
  /** Prefix of error messages, e.g. `openai`. */
  provider: string;
  /** Frames received after the handshake, before this socket existed (replayed first). */
  early?: EarlyFrame[] | undefined;
  /** Every frame, in order; never called synchronously from the constructor. */
  onFrame(data: unknown, isBinary: boolean): void;
  /** The socket closed; `expected` is true only after our own `close()`. Called once. */
  onClose(info: { code: number; reason: string; expected: boolean }): void;
  /** The socket failed while we were not closing it. */
  onError(error: VoiceError): void;
}

export class ProviderSocket {
  #ws: WebSocket;
  #closing = false;
  #closed = false;
  #closedPromise: Promise<void>;
  /** Frames that arrive before the caller could subscribe; replayed on the next macrotask. */
  #early: EarlyFrame[] | null;

  /** Wraps an OPEN socket whose setup the provider already acknowledged. */
  constructor(ws: WebSocket, options: ProviderSocketOptions) {
    this.#ws = ws;
    this.#early = [...(options.early ?? [])];
    this.#closedPromise = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.#closed = true;
        options.onClose({ code, reason: reason.toString(), expected: this.#closing });
        resolve();
      });
    });
    ws.on('message', (data, isBinary) => {
      if (this.#early) this.#early.push([data, isBinary]);
      else options.onFrame(data, isBinary);
    });
    setImmediate(() => {
      const early = this.#early ?? [];
      this.#early = null;
      for (const [data, isBinary] of early) options.onFrame(data, isBinary);
    });
    ws.on('error', (cause) => {
      if (this.#closing) return;
      options.onError(
        new VoiceError('model_disconnected', `${options.provider}: socket error`, {
          recoverable: false,
          cause,
        }),
      );
    });
  }

  /** True until `close()` was called or the socket left OPEN. */
  get isOpen(): boolean {
    return !this.#closing && this.#ws.readyState === OPEN;
  }

  /** Sends one text frame; false (nothing sent) once closing or closed. */
  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.#ws.send(text);
    return true;
  }

  /** Closes with 1000 and resolves once the socket is closed. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed && !this.#closing) {
      this.#closing = true;
      this.#ws.close(1000, 'call ended');
      const force = setTimeout(() => this.#ws.terminate(), FORCE_CLOSE_MS);
      force.unref();
      void this.#closedPromise.then(() => clearTimeout(force));
    }
    return this.#closedPromise;
  }
}

/**
 * A check for caller audio: true when `got` is the format the session was opened with. The
 * first mismatch is reported (`unsupported_format`, recoverable); the audio is to be dropped.
 */
export function inputFormatCheck(
  provider: string,
  want: AudioFormat,
  report: (error: VoiceError) => void,
): (got: AudioFormat) => boolean {
  let reported = false;
  return (got) => {
    if (sameFormat(got, want)) return true;
    if (!reported) {
      reported = true;
      report(
        new VoiceError('unsupported_format', `${provider}: audio format differs from the session`, {
          recoverable: true,
          details: { got: describeFormat(got), want: describeFormat(want) },
        }),
      );
    }
    return false;
  };
}
