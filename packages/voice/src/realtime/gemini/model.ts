/**
 * Gemini Live adapter over plain `ws` (no SDK), so tests and `GEMINI_BASE_URL` can point it at
 * a local fake. `connect` opens `…/ws/google.ai.generativelanguage.v1beta.GenerativeService.
 * BidiGenerateContent?key=…`, sends `setup` first and resolves only after `setupComplete`
 * (docs/realtime-gemini.md#connection). Errors arrive as close codes
 * (docs/realtime-gemini.md#errors-are-close-codes).
 */

import { describeFormat } from '@switchboard/audio';
import { WebSocket } from 'ws';
import { VoiceError } from '../../errors.ts';
import type { Logger } from '../../types.ts';
import { isJsonObject } from '../../wire.ts';
import { connectAborted, connectTimeoutMs, handshake } from '../handshake.ts';
import type { ResumableConnectOptions } from '../lifecycle.ts';
import type { ModelCapabilities, ModelSession, RealtimeModel } from '../types.ts';
import { toServerEvents } from './events.ts';
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
    this.#connectTimeoutMs = connectTimeoutMs(options.connectTimeoutMs);
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
    if (options.signal?.aborted) throw connectAborted('gemini');
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
    // Frames that follow `setupComplete` in the same read (a resumption handle) are kept, not lost.
    const ready = await handshake(ws, {
      provider: 'gemini',
      setup,
      classify: classifySetupReply,
      closeError: classifyClose,
      timeoutMessage: 'gemini: setup not complete in time',
      timeoutMs: this.#connectTimeoutMs,
      signal: options.signal,
    });
    this.#logger?.debug(
      { provider: 'gemini', model: session.model, resumed: !!options.resume },
      'live session ready',
    );
    const live = new GeminiLiveSession(ws, {
      inputFormat: options.inputFormat,
      outputFormat: options.outputFormat,
      silenceDurationMs: session.tuning?.silenceDurationMs ?? 500,
      logger: this.#logger,
      early: ready.early,
    });
    ready.detach();
    return live;
  }
}

/** Gemini acknowledges with `setupComplete`; it refuses a setup by closing (see `classifyClose`). */
function classifySetupReply(msg: unknown): 'ready' | undefined {
  if (!isJsonObject(msg)) return undefined;
  return toServerEvents(msg).some((e) => e.type === 'setup_complete') ? 'ready' : undefined;
}
