/**
 * OpenAI Realtime GA adapter over plain `ws` (so tests can point it at `ws://127.0.0.1`).
 * `connect` opens the socket with `Authorization: Bearer` (no `OpenAI-Beta` header), sends the
 * GA `session.update` and resolves once `session.updated` arrives.
 */

import { describeFormat } from '@switchboard/audio';
import { WebSocket } from 'ws';
import { VoiceError } from '../../errors.ts';
import type { Logger } from '../../types.ts';
import { connectAborted, connectTimeoutMs, handshake } from '../handshake.ts';
import type { ModelCapabilities, ModelConnectOptions, ModelSession, RealtimeModel } from '../types.ts';
import { toServerEvent } from './events.ts';
import {
  buildRealtimeUrl,
  buildSessionUpdate,
  OPENAI_CAPABILITIES,
  OPENAI_REALTIME_URL,
  toOpenAIFormat,
} from './protocol.ts';
import { OpenAIRealtimeSession } from './session.ts';

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
    this.#connectTimeoutMs = connectTimeoutMs(options.connectTimeoutMs);
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
    if (options.signal?.aborted) throw connectAborted('openai');
    const { session } = options;
    const url = buildRealtimeUrl(session.credentials.url ?? this.#url, session.model);
    const ws = new WebSocket(url, {
      headers: { Authorization: `Bearer ${session.credentials.apiKey}` },
      handshakeTimeout: this.#connectTimeoutMs,
      // No compression: base64 audio gains little, and a deflate stream costs ≈ 256 KiB and CPU per frame.
      perMessageDeflate: false,
    });
    const update = buildSessionUpdate(session, { input, output }, 'sb_session');
    const ready = await handshake(ws, {
      provider: 'openai',
      setup: update,
      classify: classifySetupReply,
      closeError: closedDuringSetup,
      timeoutMessage: 'openai: session not ready in time',
      timeoutMs: this.#connectTimeoutMs,
      signal: options.signal,
    });
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

/** OpenAI acknowledges with `session.updated`; an `error` event means the update was refused. */
function classifySetupReply(msg: unknown): 'ready' | VoiceError | undefined {
  const event = toServerEvent(msg);
  if (event.type === 'session.updated') return 'ready';
  if (event.type !== 'error') return undefined;
  const { code, type, param, message } = event.error;
  return new VoiceError('model_rejected_config', 'openai: session.update rejected', {
    recoverable: false,
    details: { code, type, param, providerMessage: message },
  });
}

function closedDuringSetup(code: number, reason: string): VoiceError {
  return new VoiceError('model_connect_failed', 'openai: closed during setup', {
    recoverable: code !== 4000 && code !== 1008,
    details: { code, reason },
  });
}
