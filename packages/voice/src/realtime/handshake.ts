/**
 * The connect handshake both realtime adapters share: wait for the socket to open, send one
 * setup frame, wait for the provider's acknowledgement. Each adapter supplies what differs
 * (its label, which frame means ready or rejected, how a close during setup reads), so the
 * timeout, abort, cleanup and early-frame rules live in one place and cannot drift apart.
 */
import type { WebSocket } from 'ws';
import { VoiceError } from '../errors.ts';

/** A frame as `ws` delivered it: raw data and whether it was binary. */
export type EarlyFrame = [data: unknown, isBinary: boolean];

export interface HandshakeOptions {
  /** Prefix of every error message, e.g. `openai`. */
  provider: string;
  /** The setup frame, sent as JSON once the socket is open. */
  setup: object;
  /** Parsed JSON frame → `'ready'`, an error that fails the handshake, or `undefined` to ignore. */
  classify(msg: unknown): 'ready' | VoiceError | undefined;
  /** Error for a close before the acknowledgement. */
  closeError(code: number, reason: string): VoiceError;
  /** Message of the `model_timeout` error. */
  timeoutMessage: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface Ready {
  /** Frames that arrived after the acknowledgement (possibly in the same read) until `detach`. */
  early: EarlyFrame[];
  /** Stops buffering: call once the session listens to the socket itself. */
  detach(): void;
}

/** The connect budget both adapters allow: `ms` (default 10 000) kept within 500–60 000. */
export function connectTimeoutMs(ms: number | undefined): number {
  return Math.min(60_000, Math.max(500, ms ?? 10_000));
}

/** Resolves once the provider acknowledged the setup; on any failure terminates the socket and rejects. */
export function handshake(ws: WebSocket, options: HandshakeOptions): Promise<Ready> {
  const { provider, timeoutMs, signal } = options;
  return new Promise<Ready>((resolve, reject) => {
    const early: EarlyFrame[] = [];
    let ready = false;
    const timer = setTimeout(
      () =>
        fail(
          new VoiceError('model_timeout', options.timeoutMessage, {
            recoverable: true,
            details: { timeoutMs },
          }),
        ),
      timeoutMs,
    );
    const onAbort = () => fail(connectAborted(provider));
    signal?.addEventListener('abort', onAbort, { once: true });

    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      ws.off('open', onOpen);
      ws.off('message', onMessage);
      ws.off('error', onError);
      ws.off('close', onClose);
    };
    const fail = (error: VoiceError) => {
      cleanup();
      ws.on('error', () => {}); // late errors from terminate() must not crash the process
      ws.terminate();
      reject(error);
    };
    const onOpen = () => ws.send(JSON.stringify(options.setup));
    const onMessage = (data: unknown, isBinary: boolean) => {
      if (ready) {
        early.push([data, isBinary]);
        return;
      }
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      const verdict = options.classify(msg);
      if (verdict === 'ready') {
        // Keep listening: frames in the same read would otherwise be emitted to nobody.
        ready = true;
        const detach = () => ws.off('message', onMessage);
        cleanup();
        ws.on('message', onMessage);
        resolve({ early, detach });
      } else if (verdict) {
        fail(verdict);
      }
    };
    const onError = (cause: Error) => fail(classifyConnectError(provider, cause));
    const onClose = (code: number, reason: Buffer) => fail(options.closeError(code, reason.toString()));

    ws.on('open', onOpen);
    ws.on('message', onMessage);
    ws.on('error', onError);
    ws.on('close', onClose);
  });
}

export function connectAborted(provider: string): VoiceError {
  return new VoiceError('model_aborted', `${provider}: connect aborted`, { recoverable: false });
}

/** ws reports HTTP failures as "Unexpected server response: <status>". */
export function classifyConnectError(provider: string, cause: Error): VoiceError {
  const status = Number(/Unexpected server response: (\d{3})/.exec(cause.message)?.[1]);
  if (status === 401 || status === 403) {
    return new VoiceError('model_auth_failed', `${provider}: credentials rejected`, {
      recoverable: false,
      cause,
      details: { status },
    });
  }
  if (status === 429) {
    return new VoiceError('model_rate_limited', `${provider}: rate limited`, {
      recoverable: true,
      cause,
      details: { status },
    });
  }
  return new VoiceError('model_connect_failed', `${provider}: connection failed`, {
    recoverable: !(status >= 400 && status < 500),
    cause,
    details: Number.isNaN(status) ? { errno: (cause as NodeJS.ErrnoException).code } : { status },
  });
}
