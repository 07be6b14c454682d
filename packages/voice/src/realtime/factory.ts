/**
 * The one place that maps a provider name to an adapter (no `provider === …` branches anywhere
 * else). The server calls it with `agent.provider` and the endpoint/key from its config; a
 * per-call key (the organization's decrypted integration) goes in `SessionConfig.credentials`
 * and wins over the default given here.
 */
import { PROVIDERS, type Provider } from '@switchboard/shared';
import type { Logger } from '../types.ts';
import { type GeminiCompression, GeminiLiveModel } from './gemini/index.ts';
import { OpenAIRealtimeModel } from './openai/index.ts';
import { ResilientModel, type ResilientModelOptions } from './resilient.ts';
import type { ModelConnectOptions, ModelSession, RealtimeModel } from './types.ts';

/** The providers with an adapter: exactly the `PROVIDERS` of `@switchboard/shared`. */
export const REALTIME_PROVIDERS = PROVIDERS;
export type RealtimeProvider = Provider;

/** OpenAI closes a Realtime session after 30 minutes (60 on newer models): swap before the earliest. */
export const OPENAI_SESSION_CAP_MS = 28 * 60_000;

export interface RealtimeModelFactoryOptions {
  /** Default API key (environment); a non-empty `credentials.apiKey` of the session wins. */
  apiKey?: string;
  /** OpenAI: the Realtime WebSocket URL. Gemini: the base URL (`GEMINI_BASE_URL`) or full endpoint. */
  url?: string;
  connectTimeoutMs?: number;
  /** Gemini only: context-window compression (default on). */
  compression?: GeminiCompression;
  /**
   * Reconnection for long calls (default on): `true`/options wrap the adapter in a
   * `ResilientModel`; `false` returns the bare adapter (conformance tests).
   */
  resilience?: boolean | ResilientModelOptions;
  logger?: Logger;
}

export function createRealtimeModel(
  provider: RealtimeProvider,
  options: RealtimeModelFactoryOptions = {},
): RealtimeModel {
  const { url, connectTimeoutMs, logger } = options;
  const common = {
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    ...(logger ? { logger } : {}),
  };
  let model: RealtimeModel;
  let defaults: ResilientModelOptions;
  switch (provider) {
    case 'openai':
      model = new OpenAIRealtimeModel({ ...common, ...(url ? { url } : {}) });
      defaults = { maxSessionMs: OPENAI_SESSION_CAP_MS };
      break;
    case 'gemini':
      model = new GeminiLiveModel({
        ...common,
        ...(url ? { baseUrl: url } : {}),
        ...(options.compression === undefined ? {} : { compression: options.compression }),
      });
      defaults = {};
      break;
    default:
      throw new Error(`unknown realtime provider: ${String(provider satisfies never)}`);
  }
  if (options.apiKey) model = new WithDefaultKey(model, options.apiKey);
  const resilience = options.resilience ?? true;
  if (resilience === false) return model;
  return new ResilientModel(model, {
    ...defaults,
    ...(logger ? { logger } : {}),
    ...(resilience === true ? {} : resilience),
  });
}

/** Fills `credentials.apiKey` from the environment when the session brings none. */
class WithDefaultKey implements RealtimeModel {
  readonly provider: string;
  readonly capabilities: RealtimeModel['capabilities'];
  #inner: RealtimeModel;
  #apiKey: string;

  constructor(inner: RealtimeModel, apiKey: string) {
    this.#inner = inner;
    this.#apiKey = apiKey;
    this.provider = inner.provider;
    this.capabilities = inner.capabilities;
  }

  connect(options: ModelConnectOptions): Promise<ModelSession> {
    const { credentials } = options.session;
    if (credentials.apiKey) return this.#inner.connect(options);
    return this.#inner.connect({
      ...options,
      session: { ...options.session, credentials: { ...credentials, apiKey: this.#apiKey } },
    });
  }
}
