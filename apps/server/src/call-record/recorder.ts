/**
 * The record of one admitted media stream of a call: what its `CallSession` emits is persisted
 * as it happens (transcript segments and timeline events, never only at the end), in order
 * through one queue per stream, each write published to live dashboards. Every entry is stamped
 * with the stream's position on the call's timeline when it happens (timeline.ts). When the
 * session ends, the call's end is decided by end-call.ts. A failed write is retried with backoff
 * while the call's later writes wait behind it (write-retry.ts, bounded per process); what is
 * still lost is counted and logged once per call with its count. It never breaks the call.
 */
import { calls, transcriptSegments } from '@switchboard/db';
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
import { appendCallEvent } from './append-call-event.ts';
import { endCall } from './end-call.ts';
import { estimateCostUsd } from './pricing.ts';
import { StreamClock, timelineNow } from './timeline.ts';
import { type CallValues, loadCall, type RecordDeps, updateCall } from './update-call.ts';
import { entrySize, processWriteBuffer, type WriteRetryBuffer } from './write-retry.ts';

type Ctx = RecordDeps & Pick<AppContext, 'log'> & { writeBuffer?: WriteRetryBuffer };

export class CallRecorder {
  #ctx: Ctx;
  #call: CallRow;
  #clock: StreamClock;
  #queue: Promise<void> = Promise.resolve();
  #turnLatencies: number[] = [];
  #buffer: WriteRetryBuffer;
  /** Writes queued and not yet done; entries lost; whether the session ended; whether reported. */
  #pending = 0;
  #lost = 0;
  #ended = false;
  #failureLogged = false;
  #lossReported = false;

  /** The record of a stream admitted now: it continues the call's timeline from where it is. */
  static async open(ctx: Ctx, call: CallRow): Promise<CallRecorder> {
    const startAtMs = await timelineNow(ctx.db, call, ctx.clock());
    return new CallRecorder(ctx, call, new StreamClock(startAtMs, ctx.clock));
  }

  constructor(ctx: Ctx, call: CallRow, clock = new StreamClock(0, ctx.clock)) {
    this.#ctx = ctx;
    this.#call = call;
    this.#clock = clock;
    this.#buffer = ctx.writeBuffer ?? processWriteBuffer;
  }

  /** Entries of this call that could not be written (and were reported once the call ended). */
  get lost(): number {
    return this.#lost;
  }

  get callId(): string {
    return this.#call.id;
  }

  /** Resolves when every queued write has been attempted. */
  flushed(): Promise<void> {
    return this.#queue;
  }

  /** Puts an event on the call's timeline, now. */
  event<T extends CallEventType>(type: T, data: CallEventData[T]): void {
    const atMs = this.#clock.now();
    const event = { type, data } as CallEventInput;
    this.#enqueue(() => appendCallEvent(this.#ctx, this.#call, event, atMs), entrySize(event));
  }

  /** Applies a change to the call row (and tells live dashboards). */
  update(values: CallValues): Promise<void> {
    return this.#enqueue(() => this.#update(values));
  }

  /** Fails the call: status, end reason and error, and a `failed` event. */
  fail(reason: CallEndReason, message: string): Promise<void> {
    const atMs = this.#clock.now();
    this.#ended = true;
    return this.#enqueue(async () => {
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
      this.#ended = true;
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
    this.#ended = true;
    return this.#enqueue(async () => {
      const current = await loadCall(this.#ctx.db, this.#call);
      if (!current) return;
      this.#replace(await endCall(this.#ctx, current, { kind: 'session', ended, atMs }, { also, atMs }));
    });
  }

  #transcript(role: 'user' | 'assistant', text: string): void {
    const { organizationId, id: callId } = this.#call;
    const atMs = this.#clock.now();
    const segment = { organizationId, callId, role, text, atMs };
    this.#enqueue(
      () =>
        this.#ctx.db
          .insert(transcriptSegments)
          .values(segment)
          .then(() => undefined),
      entrySize(segment),
      () => this.#ctx.live.publish(organizationId, { type: 'call.transcript', callId, role, text, atMs }),
    );
  }

  /**
   * Queues a write behind the call's earlier ones. A transcript segment or event (`bytes` given)
   * holds a place in the process's bounded buffer, or is lost when it is full; a change to the
   * call row is always queued. Each is retried while it fails; `then` runs once it is written.
   */
  #enqueue(write: () => Promise<void>, bytes?: number, then?: () => void): Promise<void> {
    const held = bytes === undefined ? undefined : this.#buffer.hold(bytes);
    if (held === null) {
      this.#lost++;
      this.#reportLosses();
      return this.#queue;
    }
    this.#pending++;
    const run = async () => {
      try {
        const written = await this.#buffer.write(write, (error) => this.#logFailure(error));
        if (written) then?.();
        else this.#lost++;
      } finally {
        held?.release();
        this.#pending--;
        this.#reportLosses();
      }
    };
    this.#queue = this.#queue.then(run).catch((error: unknown) => this.#logFailure(error));
    return this.#queue;
  }

  /** The first failed write of the call is logged (its kind, never the data: no transcript text). */
  #logFailure(error: unknown): void {
    if (this.#failureLogged) return;
    this.#failureLogged = true;
    this.#ctx.log.warn(
      { callId: this.#call.id, error: errorKind(error) },
      'writing call data failed; retrying with backoff',
    );
  }

  /** Once the call ended and its queue is empty, what was lost is logged once, with the count. */
  #reportLosses(): void {
    if (this.#lossReported || this.#lost === 0 || !this.#ended || this.#pending > 0) return;
    this.#lossReported = true;
    this.#ctx.log.error({ callId: this.#call.id, lost: this.#lost }, 'call data lost: entries not written');
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
    this.#replace(await endCall(this.#ctx, current, { kind: 'session', ended, atMs }, { also, atMs }));
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

/** What kind of failure, without its message (a failed query's message carries its parameters). */
function errorKind(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, name } = error as { code?: unknown; name?: unknown };
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    return String(code ?? cause ?? name ?? 'error');
  }
  return typeof error;
}
