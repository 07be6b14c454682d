/**
 * The session side of {@link ResilientModel}: forwards one provider connection at a time and
 * replaces it on `going_away`, the session cap, or an unexpected close. Keeps what a swap needs:
 * the resumption handle, a conversation log for summaries, the active response and the tool
 * calls each connection issued (a result for a call of a replaced connection cannot go to the new
 * one; it is folded into the next response's instructions instead).
 */
import { base64DurationMs } from '@switchboard/audio';
import { TypedEmitter } from '../emitter.ts';
import { errorEvent, listenerError, VoiceError } from '../errors.ts';
import type { AudioFormat } from '../types.ts';
import { ConversationLog, seededInstructions } from './conversation-log.ts';
import { lifecycleEvents, type ResumableConnectOptions, type SessionLifecycleEvents } from './lifecycle.ts';
import type { ReconnectReason, ResilienceEvents, ResolvedResilienceOptions } from './resilient.ts';
import type { ModelCapabilities, ModelSession, ModelSessionEvents, RealtimeModel } from './types.ts';

export type ResilientSessionEvents = ModelSessionEvents & SessionLifecycleEvents & ResilienceEvents;
type Closed = ModelSessionEvents['closed'];

export interface ResilientSessionInit {
  model: RealtimeModel;
  connectOptions: ResumableConnectOptions;
  first: ModelSession;
  options: ResolvedResilienceOptions;
}

export class ResilientSession implements ModelSession {
  readonly capabilities: ModelCapabilities;
  #model: RealtimeModel;
  #connect: ResumableConnectOptions;
  #o: ResolvedResilienceOptions;
  #events: TypedEmitter<ResilientSessionEvents>;
  #inner: ModelSession;
  #detach: Array<() => void> = [];
  #log = new ConversationLog();
  #handle: string | undefined;
  #resumable = false;
  #activeResponse: string | null = null;
  /** Tool calls without a result yet, with the connection that issued them. */
  #calls = new Map<string, { name: string; session: ModelSession; cancelled: boolean }>();
  #items = new Set<string>();
  #staleNote: string | null = null;
  /** Caller audio forwarded so far, ms: the offset of a new connection's audio positions. */
  #forwardedMs = 0;
  #seeded = false;
  #reconnects = 0;
  #reconnecting: Promise<void> | null = null;
  /** The current connection closed unexpectedly (set until a replacement is attached). */
  #dropped: Closed | null = null;
  #planned: { reason: ReconnectReason; timer: ReturnType<typeof setTimeout> } | null = null;
  #capTimer: ReturnType<typeof setTimeout> | undefined;
  #closing = false;
  #closed = false;
  #resolveClosed!: () => void;
  #closedPromise = new Promise<void>((resolve) => {
    this.#resolveClosed = resolve;
  });

  constructor(init: ResilientSessionInit) {
    this.#model = init.model;
    this.#connect = init.connectOptions;
    this.#o = init.options;
    this.capabilities = init.first.capabilities;
    this.#events = new TypedEmitter((error, event) => {
      if (event !== 'error') this.#events.emit('error', errorEvent(listenerError(error, String(event))));
    });
    this.#inner = init.first;
    this.#attach(init.first);
  }

  on: On = (event, listener) => this.#events.on(event, listener);
  once: On = (event, listener) => this.#events.once(event, listener);
  off: TypedEmitter<ResilientSessionEvents>['off'] = (event, listener) => this.#events.off(event, listener);

  /** Reconnects so far in this call. */
  get reconnects(): number {
    return this.#reconnects;
  }

  sendAudio(base64: string, format: AudioFormat): void {
    if (this.#closed) return;
    this.#inner.sendAudio(base64, format);
    this.#forwardedMs += base64DurationMs(base64, format);
  }

  sendToolResult(callId: string, output: string, opts: { name: string }): void {
    const call = this.#calls.get(callId);
    this.#calls.delete(callId);
    if (call?.cancelled) return; // withdrawn by the provider: no connection knows it any more
    this.#log.toolResult(opts.name, output);
    if (call && call.session !== this.#inner) {
      const note = `While your connection was being re-established, the tool "${opts.name}" returned: ${output}. Use this result now.`;
      if (this.capabilities.autoReplyAfterToolResult)
        this.#inner.createResponse(this.#withNote(undefined, note));
      else this.#staleNote = note; // the session asks for a reply next (autoReplyAfterToolResult is false)
    } else {
      this.#inner.sendToolResult(callId, output, opts);
    }
    this.#checkQuiet();
  }

  createResponse(instructions?: string): void {
    const note = this.#staleNote;
    this.#staleNote = null;
    this.#inner.createResponse(note ? this.#withNote(instructions, note) : instructions);
  }

  cancelResponse(): void {
    this.#inner.cancelResponse();
  }

  truncate(itemId: string, audioEndMs: number): void {
    // Items of a replaced connection do not exist on the new one.
    if (this.#items.has(itemId)) this.#inner.truncate(itemId, audioEndMs);
  }

  sendDtmf(digit: string): void {
    this.#inner.sendDtmf(digit);
  }

  async close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      this.#clearTimers();
      await this.#inner.close().catch(() => {});
      this.#finish({ code: 1000, reason: 'closed', expected: true });
    }
    return this.#closedPromise;
  }

  // ── wiring ─────────────────────────────────────────────────────────────────────────────

  #attach(session: ModelSession): void {
    this.#inner = session;
    this.#items.clear();
    const ev = this.#events;
    const on = <K extends keyof ResilientSessionEvents>(
      event: K,
      listener: (payload: ResilientSessionEvents[K]) => void,
    ) => {
      const source = lifecycleEvents(session) as unknown as TypedEmitter<ResilientSessionEvents>;
      this.#detach.push(source.on(event, listener));
    };
    let lastItem = '';
    on('audio', (e) => {
      // Chunks of one item come in a row: remember each item once, not once per chunk.
      if (e.itemId !== lastItem) {
        lastItem = e.itemId;
        this.#items.add(lastItem);
      }
      ev.emit('audio', e);
    });
    // A new connection counts its audio from zero; positions stay on the call's timeline.
    const offset = this.#forwardedMs;
    on('speech_started', (e) =>
      ev.emit(
        'speech_started',
        e.audioStartMs === undefined ? e : { ...e, audioStartMs: e.audioStartMs + offset },
      ),
    );
    on('speech_stopped', (e) =>
      ev.emit('speech_stopped', e.audioEndMs === undefined ? e : { ...e, audioEndMs: e.audioEndMs + offset }),
    );
    on('transcript', (e) => {
      if (e.final) this.#log.add(e.role === 'user' ? 'caller' : 'agent', e.text);
      ev.emit('transcript', e);
    });
    on('tool_call', (e) => {
      this.#calls.set(e.callId, { name: e.name, session, cancelled: false });
      this.#log.toolCall(e.name, e.arguments);
      ev.emit('tool_call', e);
    });
    on('response_started', (e) => {
      this.#activeResponse = e.responseId;
      ev.emit('response_started', e);
    });
    on('response_done', (e) => {
      if (this.#activeResponse === e.responseId) this.#activeResponse = null;
      ev.emit('response_done', e);
      this.#checkQuiet();
    });
    on('error', (e) => {
      const dropped = e.error.code === 'model_disconnected' && !this.#closing;
      const error = dropped
        ? new VoiceError('model_disconnected', 'model connection lost; reconnecting', {
            recoverable: true,
            cause: e.error,
            details: e.error.details,
          })
        : e.error;
      ev.emit('error', errorEvent(error));
    });
    on('closed', (e) => this.#onInnerClosed(session, e));
    on('going_away', (e) => {
      ev.emit('going_away', e);
      this.#plan('go_away', e.timeLeftMs);
    });
    on('resumption', (e) => {
      this.#handle = e.handle ?? this.#handle;
      this.#resumable = e.resumable;
      ev.emit('resumption', e);
      this.#checkQuiet();
    });
    on('tool_calls_cancelled', (e) => {
      for (const id of e.callIds) {
        const call = this.#calls.get(id);
        if (call) call.cancelled = true;
      }
      ev.emit('tool_calls_cancelled', e);
      this.#checkQuiet();
    });
    if (this.#o.maxSessionMs !== undefined) {
      clearTimeout(this.#capTimer);
      this.#capTimer = setTimeout(() => this.#plan('session_cap', undefined), this.#o.maxSessionMs);
    }
  }

  #onInnerClosed(session: ModelSession, e: Closed): void {
    if (session !== this.#inner) return;
    if (this.#closing || e.expected || this.#reconnects >= this.#o.maxReconnects) {
      this.#finish(e);
      return;
    }
    this.#dropped = e;
    void this.#reconnect('dropped');
  }

  // ── reconnecting ───────────────────────────────────────────────────────────────────────

  /** A planned swap: now if quiet, else at the first quiet moment, at the latest at the deadline. */
  #plan(reason: ReconnectReason, timeLeftMs: number | undefined): void {
    if (this.#planned || this.#closing || this.#reconnecting) return;
    const waitMs =
      timeLeftMs === undefined ? this.#o.quietWaitMs : Math.max(0, timeLeftMs - this.#o.goAwayMarginMs);
    const timer = setTimeout(() => this.#runPlanned(), waitMs);
    this.#planned = { reason, timer };
    this.#checkQuiet();
  }

  #checkQuiet(): void {
    if (!this.#planned || this.#reconnecting) return;
    const toolsRunning = [...this.#calls.values()].some((c) => c.session === this.#inner && !c.cancelled);
    const resumable = !this.capabilities.sessionResumption || !this.#handle || this.#resumable;
    if (this.#activeResponse === null && !toolsRunning && resumable) this.#runPlanned();
  }

  #runPlanned(): void {
    const planned = this.#planned;
    if (!planned) return;
    clearTimeout(planned.timer);
    this.#planned = null;
    if (this.#reconnects >= this.#o.maxReconnects) return;
    void this.#reconnect(planned.reason);
  }

  /** One reconnect at a time; a drop during a planned swap joins it. */
  #reconnect(reason: ReconnectReason): Promise<void> {
    if (this.#planned) {
      clearTimeout(this.#planned.timer);
      this.#planned = null;
    }
    this.#reconnecting ??= this.#runReconnect(reason).finally(() => {
      this.#reconnecting = null;
    });
    return this.#reconnecting;
  }

  async #runReconnect(reason: ReconnectReason): Promise<void> {
    const startedAt = performance.now();
    const old = this.#inner;
    let handle = this.capabilities.sessionResumption ? this.#handle : undefined;
    let lastCode: string | undefined;
    for (let attempt = 1; attempt <= this.#o.maxAttempts; attempt++) {
      if (this.#closing) return;
      this.#notify('reconnecting', { reason, attempt });
      try {
        const next = await this.#model.connect(this.#options(handle));
        if (this.#closing) {
          await next.close().catch(() => {});
          return;
        }
        this.#reconnects++;
        this.#swap(old, next, handle === undefined);
        const gapMs = Math.round(performance.now() - startedAt);
        this.#o.logger?.info({ reason, attempt, resumed: handle !== undefined, gapMs }, 'model reconnected');
        this.#notify('reconnected', { reason, attempts: attempt, resumed: handle !== undefined, gapMs });
        return;
      } catch (error) {
        const voiceError = error instanceof VoiceError ? error : undefined;
        lastCode = voiceError?.code;
        if (voiceError?.code === 'model_aborted') break;
        if (handle !== undefined && voiceError?.recoverable === false) {
          handle = undefined; // the handle was refused (expired): start fresh with a summary
          attempt--;
          continue;
        }
        if (voiceError?.recoverable === false) break;
        const delays = this.#o.backoffMs;
        await sleep(delays[Math.min(attempt - 1, delays.length - 1)] ?? 1000);
      }
    }
    const failed = { reason, attempts: this.#o.maxAttempts };
    this.#notify('reconnect_failed', lastCode ? { ...failed, code: lastCode } : failed);
    this.#o.logger?.warn({ reason, code: lastCode }, 'model reconnect failed');
    // A planned swap that failed keeps the old connection while it lasts; a dropped one ends here.
    if (!this.#closing && this.#dropped) this.#finish(this.#dropped);
  }

  #options(handle: string | undefined): ResumableConnectOptions {
    const base = this.#connect;
    if (handle !== undefined) return { ...base, resume: { handle } };
    const { resume: _ignored, ...rest } = base;
    const summary = this.#log.summary(this.#o.summaryChars);
    return {
      ...rest,
      session: { ...base.session, instructions: seededInstructions(base.session.instructions, summary) },
    };
  }

  #swap(old: ModelSession, next: ModelSession, seeded: boolean): void {
    for (const off of this.#detach.splice(0)) off();
    this.#dropped = null;
    const active = this.#activeResponse;
    this.#activeResponse = null;
    if (active !== null) this.#events.emit('response_done', { responseId: active, status: 'cancelled' });
    this.#seeded ||= seeded;
    this.#attach(next);
    void old.close().catch(() => {});
  }

  #withNote(instructions: string | undefined, note: string): string {
    const base = this.#connect.session.instructions;
    const current = this.#seeded ? seededInstructions(base, this.#log.summary(this.#o.summaryChars)) : base;
    return `${instructions ?? current}\n\n${note}`;
  }

  #notify<K extends keyof ResilienceEvents>(event: K, payload: ResilienceEvents[K]): void {
    try {
      this.#o.onEvent?.(event, payload);
    } catch {
      // a failing observer must not break reconnection
    }
    this.#events.emit(event, payload as ResilientSessionEvents[K]);
  }

  #finish(e: Closed): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimers();
    this.#events.emit('closed', e);
    this.#resolveClosed();
  }

  #clearTimers(): void {
    clearTimeout(this.#capTimer);
    if (this.#planned) clearTimeout(this.#planned.timer);
    this.#planned = null;
  }
}

type On = <K extends keyof ResilientSessionEvents>(
  event: K,
  listener: (payload: ResilientSessionEvents[K]) => void,
) => () => void;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
