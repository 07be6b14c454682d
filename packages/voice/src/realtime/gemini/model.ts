/**
 * Gemini Live adapter over plain `ws` (no SDK), so tests and `GEMINI_BASE_URL` can point it at
 * a local fake. `connect` opens `…/ws/google.ai.generativelanguage.v1beta.GenerativeService.
 * BidiGenerateContent?key=…`, sends `setup` first and resolves only after `setupComplete`
 * (protocols.md §4.1, §6.13). Errors arrive as close codes (§6.15).
 */
import { WebSocket } from 'ws';
import { describeFormat } from '../../audio-format.ts';
import { VoiceError } from '../../errors.ts';
import type { Logger } from '../../types.ts';
import type { ResumableConnectOptions } from '../lifecycle.ts';
import type { ModelCapabilities, ModelSession, RealtimeModel } from '../types.ts';
import {
  buildGeminiUrl,
  buildSetup,
  classifyClose,
  GEMINI_API_VERSION,
  GEMINI_BASE_URL,
  GEMINI_CAPABILITIES,
  type GeminiCompression,
  supportedInput,
  supportedOutput,
} from './protocol.ts';
import { GeminiLiveSession } from './session.ts';

export interface GeminiLiveModelOptions {
  /** http(s)/ws(s) base URL, or the full endpoint (default `https://generativelanguage.googleapis.com`). `credentials.url` overrides it per session. */
  baseUrl?: string;
  /** API version in the path (default `v1beta`). */
  apiVersion?: string;
  /** Budget for socket open + `setupComplete`, ms (default 10 000, bounds 500–60 000). */
  connectTimeoutMs?: number;
  /** Context-window compression (default trigger 25 600 / target 12 800 tokens); `false` disables. */
  compression?: GeminiCompression;
  logger?: Logger;
}

export class GeminiLiveModel implements RealtimeModel {
  readonly provider = 'gemini';
  readonly capabilities: ModelCapabilities = GEMINI_CAPABILITIES;
  #baseUrl: string;
  #apiVersion: string;
  #connectTimeoutMs: number;
  #compression: GeminiCompression | undefined;
  #logger: Logger | undefined;

  constructor(options: GeminiLiveModelOptions = {}) {
    this.#baseUrl = options.baseUrl ?? GEMINI_BASE_URL;
    this.#apiVersion = options.apiVersion ?? GEMINI_API_VERSION;
    this.#connectTimeoutMs = Math.min(60_000, Math.max(500, options.connectTimeoutMs ?? 10_000));
    this.#compression = options.compression;
    this.#logger = options.logger;
  }

  async connect(options: ResumableConnectOptions): Promise<ModelSession> {
    if (!supportedInput(options.inputFormat) || !supportedOutput(options.outputFormat)) {
      throw new VoiceError('unsupported_format', 'gemini: audio format not supported', {
        recoverable: false,
        details: { input: describeFormat(options.inputFormat), output: describeFormat(options.outputFormat) },
      });
    }
    if (options.signal?.aborted) throw aborted();
    const { session } = options;
    const url = buildGeminiUrl(
      session.credentials.url ?? this.#baseUrl,
      session.credentials.apiKey,
      this.#apiVersion,
    );
    const ws = new WebSocket(url, { handshakeTimeout: this.#connectTimeoutMs, perMessageDeflate: false });
    const setup = buildSetup(session, {
      resumeHandle: options.resume?.handle,
      compression: this.#compression,
    });
    const stash = await handshake(ws, setup, this.#connectTimeoutMs, options.signal);
    this.#logger?.debug(
      { provider: 'gemini', model: session.model, resumed: !!options.resume },
      'live session ready',
    );
    const live = new GeminiLiveSession(ws, {
      inputFormat: options.inputFormat,
      outputFormat: options.outputFormat,
      silenceDurationMs: session.tuning?.silenceDurationMs ?? 500,
      logger: this.#logger,
      early: stash.messages,
    });
    stash.stop();
    return live;
  }
}

/** Messages that arrived after `setupComplete` but before the session took over the socket. */
interface Stash {
  messages: unknown[];
  stop(): void;
}

/**
 * Waits for open → sends `setup` → waits for `setupComplete`. Cleans up on failure. Frames that
 * follow `setupComplete` in the same read (a resumption handle) are stashed, not lost.
 */
function handshake(ws: WebSocket, setup: object, timeoutMs: number, signal: AbortSignal | undefined) {
  return new Promise<Stash>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        fail(
          new VoiceError('model_timeout', 'gemini: setup not complete in time', {
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
    const onOpen = () => ws.send(JSON.stringify(setup));
    const onMessage = (data: unknown) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof msg === 'object' && msg !== null && 'setupComplete' in msg) {
        cleanup();
        const messages: unknown[] = [];
        const keep = (data: unknown) => messages.push(data);
        ws.on('message', keep);
        resolve({ messages, stop: () => ws.off('message', keep) });
      }
    };
    const onError = (cause: Error) => fail(classifyConnectError(cause));
    const onClose = (code: number, reason: Buffer) => fail(classifyClose(code, reason.toString()));
    ws.on('open', onOpen);
    ws.on('message', onMessage);
    ws.on('error', onError);
    ws.on('close', onClose);
  });
}

function aborted(): VoiceError {
  return new VoiceError('model_aborted', 'gemini: connect aborted', { recoverable: false });
}

/** ws reports HTTP failures as "Unexpected server response: <status>". */
function classifyConnectError(cause: Error): VoiceError {
  const status = Number(/Unexpected server response: (\d{3})/.exec(cause.message)?.[1]);
  if (status === 401 || status === 403) {
    return new VoiceError('model_auth_failed', 'gemini: credentials rejected', {
      recoverable: false,
      cause,
      details: { status },
    });
  }
  if (status === 429) {
    return new VoiceError('model_rate_limited', 'gemini: rate limited', {
      recoverable: true,
      cause,
      details: { status },
    });
  }
  return new VoiceError('model_connect_failed', 'gemini: connection failed', {
    recoverable: !(status >= 400 && status < 500),
    cause,
    details: Number.isNaN(status) ? { errno: (cause as NodeJS.ErrnoException).code } : { status },
  });
}
