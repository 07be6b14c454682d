/**
 * The record of one admitted media stream of a call: what its `CallSession` emits is persisted
 * as it happens (transcript segments and timeline events, never only at the end), in order:
 * segments and events through the process's write batcher (write-batcher.ts: multi-row INSERTs
 * at most every 250 ms), changes of the call row through one queue per stream, each write
 * published to live dashboards. Ending or failing the call first flushes the batcher, so the
 * end-of-call write sees every segment. Every entry is stamped
 * with the stream's position on the call's timeline when it happens (timeline.ts). When the
 * session ends, the call's end is decided by end-call.ts. A failed write is logged and never
 * breaks the call.
 */

import { calls } from '@switchboard/db';
import {
  type CallEndReason,
  type CallEventData,
  type CallEventInput,
  type CallEventType,
  FINAL_CALL_STATUSES,
} from '@switchboard/shared';
import type { CallSession, CallSessionEvents, ModelUsage } from '@switchboard/voice';
import { and, isNull, notInArray } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import { endCall } from './end-call.ts';
import { estimateCostUsd } from './pricing.ts';
import { StreamClock, timelineNow } from './timeline.ts';
import { type CallValues, loadCall, type RecordDeps, updateCall } from './update-call.ts';
import { type WriteBatcher, writeBatcherFor } from './write-batcher.ts';

type Ctx = RecordDeps & Pick<AppContext, 'log'>;

export class CallRecorder {
  #ctx: Ctx;
  #call: CallRow;
  #clock: StreamClock;
  #queue: Promise<void> = Promise.resolve();
  #batcher: WriteBatcher;
  #turnLatencies: number[] = [];

  /** The record of a stream admitted now: it continues the call's timeline from where it is. */
  static async open(ctx: Ctx, call: CallRow): Promise<CallRecorder> {
    const startAtMs = await timelineNow(ctx.db, call, ctx.clock());
    return new CallRecorder(ctx, call, new StreamClock(startAtMs, ctx.clock));
  }

  constructor(ctx: Ctx, call: CallRow, clock = new StreamClock(0, ctx.clock)) {
    this.#ctx = ctx;
    this.#call = call;
    this.#clock = clock;
    this.#batcher = writeBatcherFor(ctx);
  }

  get callId(): string {
    return this.#call.id;
  }

  /** Resolves when every queued write (batched rows included) has been attempted. */
  flushed(): Promise<void> {
    return this.#enqueue(() => this.#batcher.flush());
  }

  /** Puts an event on the call's timeline, now. */
  event<T extends CallEventType>(type: T, data: CallEventData[T]): void {
    const atMs = this.#clock.now();
    this.#batcher.event(this.#call, { type, data } as CallEventInput, atMs);
  }

  /** Applies a change to the call row (and tells live dashboards). */
  update(values: CallValues): Promise<void> {
    return this.#enqueue(() => this.#update(values));
  }

  /** Fails the call: status, end reason and error, and a `failed` event. */
  fail(reason: CallEndReason, message: string): Promise<void> {
    const atMs = this.#clock.now();
    return this.#enqueue(async () => {
      await this.#batcher.flush();
      this.#replace(await endCall(this.#ctx, this.#call, { kind: 'failed', reason, message }, { atMs }));
    });
  }

  /** Subscribes to every event of the session that the call record shows; `model` prices its usage. */
  attach(session: CallSession<object>, model: string): void {
    session.on('ready', (e) => {
      this.event('connected', { provider: e.provider, connectMs: e.connectMs, passthrough: e.passthrough });
      this.#enqueue(() => this.#markAnswered());
    });
    session.on('transcript', (e) => {
      if (e.final && e.text.trim()) this.#transcript(e.role, e.text);
    });
    session.on('tool_call', (e) =>
      this.event('tool_call', {
        name: e.name,
        arguments: e.arguments,
        ok: e.ok,
        result: e.ok ? e.result : undefined,
        error: e.error,
        durationMs: Math.round(e.durationMs),
      }),
    );
    session.on('barge_in', (e) =>
      this.event('barge_in', {
        clearLatencyMs: Math.round(e.clearLatencyMs * 10) / 10,
        heardMs: Math.round(e.heardMs),
        forwardedMs: Math.round(e.forwardedMs),
        truncatedAtMs: e.truncatedAtMs,
      }),
    );
    session.on('metrics', (e) => {
      this.#turnLatencies.push(Math.round(e.turnLatencyMs));
      this.event('turn_latency', { turnLatencyMs: Math.round(e.turnLatencyMs) });
    });
    session.on('dtmf', (e) => this.event('dtmf', { digit: e.digit, handled: e.handled }));
    session.on('error', (e) =>
      this.event('error', { code: e.error.code, message: e.error.message, recoverable: e.recoverable }),
    );
    session.on('ended', (ended) => {
      const atMs = this.#clock.now();
      this.#enqueue(() => this.#finish(ended, atMs, model));
    });
  }

  /** A transcript line of a conversation without a `CallSession` (the website chat). */
  transcript(role: 'user' | 'assistant', text: string): void {
    if (text.trim()) this.#transcript(role, text);
  }

  /** The conversation started (a website chat opened): answered, in progress. */
  answered(): void {
    this.#enqueue(() => this.#markAnswered());
  }

  /**
   * Ends a conversation that ran without a `CallSession` (the website chat) by the same rules
   * (end-call.ts), after every queued write; `also` carries its usage.
   */
  finish(ended: CallSessionEvents['ended'], also: CallValues = {}): Promise<void> {
    const atMs = this.#clock.now();
    return this.#enqueue(async () => {
      await this.#batcher.flush();
      // endCall reads the row as it is now and decides from it (end-call.ts).
      this.#replace(await endCall(this.#ctx, this.#call, { kind: 'session', ended, atMs }, { also, atMs }));
    });
  }

  #transcript(role: 'user' | 'assistant', text: string): void {
    this.#batcher.segment(this.#call, role, text, this.#clock.now());
  }

  #enqueue(write: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(write).catch((error: unknown) => {
      this.#ctx.log.error({ err: error, callId: this.#call.id }, 'failed to persist call data');
    });
    return this.#queue;
  }

  #replace(row: CallRow | null): void {
    if (row) this.#call = row;
  }

  async #update(values: CallValues): Promise<void> {
    this.#replace(await updateCall(this.#ctx, this.#call, values));
  }

  /**
   * Answered now, in progress — each a conditional statement: `answeredAt` is written only while
   * it is empty, and `in-progress` only over a non-final status (a final status written meanwhile,
   * e.g. by a status callback, stays).
   */
  async #markAnswered(): Promise<void> {
    const answeredAt = this.#ctx.clock();
    const unanswered = isNull(calls.answeredAt);
    const live = and(unanswered, notInArray(calls.status, [...FINAL_CALL_STATUSES]));
    const row =
      (await updateCall(this.#ctx, this.#call, { answeredAt, status: 'in-progress' }, live)) ??
      (await updateCall(this.#ctx, this.#call, { answeredAt }, unanswered));
    this.#replace(row);
  }

  async #finish(ended: CallSessionEvents['ended'], atMs: number, model: string): Promise<void> {
    await this.#batcher.flush();
    const current = await loadCall(this.#ctx.db, this.#call);
    if (!current) return;
    // A stream that resumes a call after a transfer adds to what the earlier stream used.
    const usage = addUsage(current.usage, {
      ...ended.usage,
      bargeIns: ended.bargeIns,
      toolCalls: ended.toolCalls,
    });
    const { count, p50Ms, p90Ms, maxMs } = ended.latency;
    const also: CallValues = {
      usage,
      costUsd: String(estimateCostUsd(model, usage as unknown as ModelUsage)),
      latency: { turns: this.#turnLatencies, count, p50Ms, p90Ms, maxMs },
    };
    this.#replace(
      await endCall(this.#ctx, current, { kind: 'session', ended, atMs }, { also, atMs, current }),
    );
  }
}

/** Usage of this stream, added to the earlier streams' when this one continues a call. */
function addUsage(
  earlier: Record<string, unknown> | null,
  usage: Record<string, number>,
): Record<string, number> {
  const total = { ...usage };
  if (!earlier) return total;
  for (const [key, value] of Object.entries(earlier)) {
    if (typeof value === 'number') total[key] = (total[key] ?? 0) + value;
  }
  return total;
}
