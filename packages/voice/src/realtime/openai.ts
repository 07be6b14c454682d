/**
 * OpenAI Realtime GA adapter over plain `ws` (so tests can point it at `ws://127.0.0.1`).
 * `connect` opens the socket with `Authorization: Bearer` (no `OpenAI-Beta` header), sends the
 * GA `session.update` and resolves once `session.updated` arrives.
 */
import { WebSocket } from 'ws';
import { describeFormat } from '../audio-format.ts';
import { VoiceError } from '../errors.ts';
import type { Logger } from '../types.ts';
import {
  buildRealtimeUrl,
  buildSessionUpdate,
  OPENAI_CAPABILITIES,
  OPENAI_REALTIME_URL,
  toOpenAIFormat,
} from './openai-protocol.ts';
import { OpenAIRealtimeSession } from './openai-session.ts';
import type { ModelCapabilities, ModelConnectOptions, ModelSession, RealtimeModel } from './types.ts';

export interface OpenAIRealtimeModelOptions {
  /** Realtime endpoint; `?model=` is appended (default `wss://api.openai.com/v1/realtime`). */
  url?: string;
  /** Budget for socket open + `session.updated`, ms (default 10 000, bounds 500–60 000). */
  connectTimeoutMs?: number;
  logger?: Logger;
}

export class OpenAIRealtimeModel implements RealtimeModel {
  readonly provider = 'openai';
  readonly capabilities: ModelCapabilities = OPENAI_CAPABILITIES;
  #url: string;
  #connectTimeoutMs: number;
  #logger: Logger | undefined;

  constructor(options: OpenAIRealtimeModelOptions = {}) {
    this.#url = options.url ?? OPENAI_REALTIME_URL;
    this.#connectTimeoutMs = Math.min(60_000, Math.max(500, options.connectTimeoutMs ?? 10_000));
    this.#logger = options.logger;
  }

  async connect(options: ModelConnectOptions): Promise<ModelSession> {
    const input = toOpenAIFormat(options.inputFormat);
    const output = toOpenAIFormat(options.outputFormat);
    if (!input || !output) {
      throw new VoiceError('unsupported_format', 'openai: audio format not supported', {
        recoverable: false,
        details: { input: describeFormat(options.inputFormat), output: describeFormat(options.outputFormat) },
      });
    }
    if (options.signal?.aborted) throw aborted();
    const { session } = options;
    const url = buildRealtimeUrl(session.credentials.url ?? this.#url, session.model);
    const ws = new WebSocket(url, {
      headers: { Authorization: `Bearer ${session.credentials.apiKey}` },
      handshakeTimeout: this.#connectTimeoutMs,
    });
    const update = buildSessionUpdate(session, { input, output }, 'sb_session');
    const ready = await handshake(ws, update, this.#connectTimeoutMs, options.signal);
    this.#logger?.debug({ provider: 'openai', model: session.model }, 'realtime session ready');
    const realtime = new OpenAIRealtimeSession(ws, {
      inputFormat: options.inputFormat,
      outputFormat: options.outputFormat,
      logger: this.#logger,
      early: ready.early,
    });
    ready.detach();
    return realtime;
  }
}

interface Ready {
  /** Frames that arrived after `session.updated` (possibly in the same read) until `detach`. */
  early: Array<[unknown, boolean]>;
  /** Stops buffering: call once the session listens to the socket itself. */
  detach(): void;
}

/** Waits for open → sends `session.update` → waits for `session.updated`. Cleans up on failure. */
function handshake(ws: WebSocket, update: object, timeoutMs: number, signal: AbortSignal | undefined) {
  return new Promise<Ready>((resolve, reject) => {
    const early: Array<[unknown, boolean]> = [];
    let ready = false;
    const timer = setTimeout(
      () =>
        fail(
          new VoiceError('model_timeout', 'openai: session not ready in time', {
            recoverable: true,
            details: { timeoutMs },
          }),
        ),
      timeoutMs,
    );
    const onAbort = () => fail(aborted());
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
    const onOpen = () => ws.send(JSON.stringify(update));
    const onMessage = (data: unknown, isBinary: boolean) => {
      if (ready) {
        early.push([data, isBinary]);
        return;
      }
      let msg: {
        type?: unknown;
        error?: { code?: unknown; type?: unknown; message?: unknown; param?: unknown };
      };
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      if (msg.type === 'session.updated') {
        // Keep listening: frames in the same read would otherwise be emitted to nobody.
        ready = true;
        const detach = () => ws.off('message', onMessage);
        cleanup();
        ws.on('message', onMessage);
        resolve({ early, detach });
      } else if (msg.type === 'error') {
        const e = msg.error ?? {};
        fail(
          new VoiceError('model_rejected_config', 'openai: session.update rejected', {
            recoverable: false,
            details: { code: e.code, type: e.type, param: e.param, providerMessage: e.message },
          }),
        );
      }
    };
    const onError = (cause: Error) => fail(classifyConnectError(cause));
    const onClose = (code: number, reason: Buffer) =>
      fail(
        new VoiceError('model_connect_failed', 'openai: closed during setup', {
          recoverable: code !== 4000 && code !== 1008,
          details: { code, reason: reason.toString() },
        }),
      );

    ws.on('open', onOpen);
    ws.on('message', onMessage);
    ws.on('error', onError);
    ws.on('close', onClose);
  });
}

function aborted(): VoiceError {
  return new VoiceError('model_aborted', 'openai: connect aborted', { recoverable: false });
}

/** ws reports HTTP failures as "Unexpected server response: <status>". */
export function classifyConnectError(cause: Error): VoiceError {
  const status = Number(/Unexpected server response: (\d{3})/.exec(cause.message)?.[1]);
  if (status === 401 || status === 403) {
    return new VoiceError('model_auth_failed', 'openai: credentials rejected', {
      recoverable: false,
      cause,
      details: { status },
    });
  }
  if (status === 429) {
    return new VoiceError('model_rate_limited', 'openai: rate limited', {
      recoverable: true,
      cause,
      details: { status },
    });
  }
  return new VoiceError('model_connect_failed', 'openai: connection failed', {
    recoverable: !(status >= 400 && status < 500),
    cause,
    details: Number.isNaN(status) ? { errno: (cause as NodeJS.ErrnoException).code } : { status },
  });
}
