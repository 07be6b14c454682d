/**
 * Calls longer than a provider connection (Gemini ~10 min per connection with `goAway`, OpenAI
 * session caps). `ResilientModel` wraps any `RealtimeModel`; its sessions replace the provider
 * connection underneath `CallSession` without the caller noticing:
 *
 * - `going_away` (Gemini `goAway`) or the `maxSessionMs` cap: wait for a quiet moment (no
 *   response streaming, no tool running, resumable), open the new connection while the old one
 *   still carries audio, then swap (make-before-break).
 * - An unexpected close: reconnect at once, with backoff.
 * - With `capabilities.sessionResumption` and a handle: `connect({ resume: { handle } })`.
 *   Otherwise (or when the handle is refused) the new session's instructions carry a compact
 *   summary of the conversation so far.
 *
 * Branches on capabilities only. See docs/realtime-gemini.md.
 */
import type { Logger } from '../types.ts';
import type { ResumableConnectOptions } from './lifecycle.ts';
import { ResilientSession } from './resilient-session.ts';
import type { ModelCapabilities, ModelConnectOptions, ModelSession, RealtimeModel } from './types.ts';

/** Reported through `ResilientModelOptions.onEvent` and as session events. */
export interface ResilienceEvents {
  /** A replacement connection is being opened. */
  reconnecting: { reason: ReconnectReason; attempt: number };
  /** The new connection carries the call. `resumed`: provider state kept (handle), else seeded with a summary. */
  reconnected: { reason: ReconnectReason; attempts: number; resumed: boolean; gapMs: number };
  /** Reconnecting failed; the session closes (CallSession then ends the call). */
  reconnect_failed: { reason: ReconnectReason; attempts: number; code?: string };
}
export type ReconnectReason = 'go_away' | 'session_cap' | 'dropped';

export interface ResilientModelOptions {
  /** Attempts per reconnect (default 3, bounds 1–10). */
  maxAttempts?: number;
  /** Wait before attempt n+1, ms (default [250, 1000, 2000]; the last value repeats). */
  backoffMs?: readonly number[];
  /** Replace the connection proactively after this long, ms (e.g. OpenAI's cap minus a margin). Default: never. */
  maxSessionMs?: number;
  /** Longest wait for a quiet moment before a planned reconnect (cap / goAway without time), ms (default 60 000). */
  quietWaitMs?: number;
  /** Start the swap this long before `goAway.timeLeft` runs out even if not quiet, ms (default 1500). */
  goAwayMarginMs?: number;
  /** Character budget of the summary seeded into a fresh session (default 4000). */
  summaryChars?: number;
  /** Reconnects allowed per call (default 20). */
  maxReconnects?: number;
  onEvent?: <K extends keyof ResilienceEvents>(event: K, payload: ResilienceEvents[K]) => void;
  logger?: Logger;
}

export interface ResolvedResilienceOptions {
  maxAttempts: number;
  backoffMs: readonly number[];
  maxSessionMs: number | undefined;
  quietWaitMs: number;
  goAwayMarginMs: number;
  summaryChars: number;
  maxReconnects: number;
  onEvent: ResilientModelOptions['onEvent'];
  logger: Logger | undefined;
}

export class ResilientModel implements RealtimeModel {
  readonly provider: string;
  readonly capabilities: ModelCapabilities;
  readonly inner: RealtimeModel;
  #options: ResolvedResilienceOptions;

  constructor(inner: RealtimeModel, options: ResilientModelOptions = {}) {
    this.inner = inner;
    this.provider = inner.provider;
    this.capabilities = inner.capabilities;
    this.#options = {
      maxAttempts: Math.min(10, Math.max(1, options.maxAttempts ?? 3)),
      backoffMs: options.backoffMs ?? [250, 1000, 2000],
      maxSessionMs: options.maxSessionMs,
      quietWaitMs: options.quietWaitMs ?? 60_000,
      goAwayMarginMs: options.goAwayMarginMs ?? 1500,
      summaryChars: options.summaryChars ?? 4000,
      maxReconnects: options.maxReconnects ?? 20,
      onEvent: options.onEvent,
      logger: options.logger,
    };
  }

  async connect(options: ModelConnectOptions): Promise<ModelSession> {
    const first = await this.inner.connect(options);
    return new ResilientSession({
      model: this.inner,
      connectOptions: options as ResumableConnectOptions,
      first,
      options: this.#options,
    });
  }
}
