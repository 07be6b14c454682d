/**
 * Persists what a CallSession emits, as it happens: transcript segments and timeline events
 * are written in order through one queue per call (never only at the end), and the call row is
 * finalised when the session ends. Each write is also published to live dashboards. A failed
 * write is logged and never breaks the call.
 */
import { callEvents, calls, transcriptSegments } from '@switchboard/db';
import { FINAL_CALL_STATUSES } from '@switchboard/shared';
import type { CallSession, CallSessionEvents, ModelUsage } from '@switchboard/voice';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { type CallRow, toCallEventJson, toCallJson } from '../mappers/calls.ts';
import { estimateCostUsd } from './pricing.ts';

const FINAL = new Set<string>(FINAL_CALL_STATUSES);

type Ctx = Pick<AppContext, 'db' | 'log' | 'live' | 'clock'>;

export class CallRecorder {
  #ctx: Ctx;
  #call: CallRow;
  #queue: Promise<void> = Promise.resolve();
  #turnLatencies: number[] = [];
  #model = '';
  /** Added to every `atMs`: a later stream of the same call (back from a failed transfer) continues the timeline. */
  #offsetMs: number;
  #createdAt: number;

  constructor(ctx: Ctx, call: CallRow, options: { offsetMs?: number } = {}) {
    this.#ctx = ctx;
    this.#call = call;
    this.#offsetMs = Math.max(0, Math.round(options.offsetMs ?? 0));
    this.#createdAt = ctx.clock().getTime();
  }

  /** Milliseconds since this recorder's stream started (before the offset): for events recorded outside the session. */
  elapsedMs(): number {
    return Math.max(0, this.#ctx.clock().getTime() - this.#createdAt);
  }

  get callId(): string {
    return this.#call.id;
  }

  /** Resolves when every queued write has been attempted. */
  flushed(): Promise<void> {
    return this.#queue;
  }

  /** The model name used for cost estimates. */
  setModel(model: string): void {
    this.#model = model;
  }

  /** Subscribes to every event of the session that the call record shows. */
  attach(session: CallSession<object>): void {
    session.on('ready', (e) => {
      this.event('connected', e.atMs, {
        provider: e.provider,
        connectMs: e.connectMs,
        passthrough: e.passthrough,
      });
      this.#enqueue(() => this.#markAnswered());
    });
    session.on('transcript', (e) => {
      if (e.final && e.text.trim()) this.transcript(e.role, e.text, e.atMs);
    });
    session.on('tool_call', (e) =>
      this.event('tool_call', e.atMs, {
        name: e.name,
        arguments: e.arguments,
        ok: e.ok,
        result: e.ok ? e.result : undefined,
        error: e.error,
        durationMs: Math.round(e.durationMs),
      }),
    );
    session.on('barge_in', (e) =>
      this.event('barge_in', e.atMs, {
        clearLatencyMs: round1(e.clearLatencyMs),
        heardMs: Math.round(e.heardMs),
        forwardedMs: Math.round(e.forwardedMs),
        truncatedAtMs: e.truncatedAtMs,
      }),
    );
    session.on('metrics', (e) => {
      this.#turnLatencies.push(Math.round(e.turnLatencyMs));
      this.event('turn_latency', e.atMs, { turnLatencyMs: Math.round(e.turnLatencyMs) });
    });
    session.on('dtmf', (e) => this.event('dtmf', e.atMs, { digit: e.digit, handled: e.handled }));
    session.on('error', (e) =>
      this.event('error', e.atMs, {
        code: e.error.code,
        message: e.error.message,
        recoverable: e.recoverable,
      }),
    );
    session.on('ended', (e) => this.#enqueue(() => this.#finish(e)));
  }

  transcript(role: 'user' | 'assistant' | 'system', text: string, atMs: number): void {
    const { organizationId, id: callId } = this.#call;
    this.#enqueue(async () => {
      await this.#ctx.db
        .insert(transcriptSegments)
        .values({ organizationId, callId, role, text, atMs: Math.round(atMs) + this.#offsetMs });
      this.#ctx.live.publish(organizationId, {
        type: 'call.transcript',
        callId,
        role,
        text,
        atMs: Math.round(atMs) + this.#offsetMs,
      });
    });
  }

  event(type: string, atMs: number, data: Record<string, unknown>): void {
    const { organizationId, id: callId } = this.#call;
    const clean = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
    const at = Math.round(atMs) + this.#offsetMs;
    this.#enqueue(async () => {
      const [row] = await this.#ctx.db
        .insert(callEvents)
        .values({ organizationId, callId, type, atMs: at, data: clean })
        .returning();
      if (row)
        this.#ctx.live.publish(organizationId, { type: 'call.event', callId, event: toCallEventJson(row) });
    });
  }

  /** An event that happens now, outside the session's own events (AMD result, transfer, voicemail). */
  eventNow(type: string, data: Record<string, unknown>): void {
    this.event(type, this.elapsedMs(), data);
  }

  /** Applies a change to the call row and tells live dashboards. */
  update(values: Partial<typeof calls.$inferInsert>): Promise<void> {
    return this.#enqueue(() => this.#update(values));
  }

  #enqueue(write: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(write).catch((error: unknown) => {
      this.#ctx.log.error({ err: error, callId: this.#call.id }, 'failed to persist call data');
    });
    return this.#queue;
  }

  async #update(values: Partial<typeof calls.$inferInsert>): Promise<void> {
    const [row] = await this.#ctx.db
      .update(calls)
      .set({ ...values, updatedAt: this.#ctx.clock() })
      .where(eq(calls.id, this.#call.id))
      .returning();
    if (!row) return;
    this.#call = row;
    this.#ctx.live.publish(row.organizationId, { type: 'call.updated', call: toCallJson(row) });
  }

  async #markAnswered(): Promise<void> {
    const [current] = await this.#ctx.db.select().from(calls).where(eq(calls.id, this.#call.id)).limit(1);
    if (!current || current.answeredAt) return;
    await this.#update({
      answeredAt: this.#ctx.clock(),
      ...(FINAL.has(current.status) ? {} : { status: 'in-progress' }),
    });
  }

  #usage(current: CallRow, ended: CallSessionEvents['ended']) {
    const usage = addUsage(this.#offsetMs > 0 ? current.usage : null, {
      ...ended.usage,
      bargeIns: ended.bargeIns,
      toolCalls: ended.toolCalls,
    });
    return { usage, costUsd: String(estimateCostUsd(this.#model, usage as unknown as ModelUsage)) };
  }

  async #finish(ended: CallSessionEvents['ended']): Promise<void> {
    const [current] = await this.#ctx.db.select().from(calls).where(eq(calls.id, this.#call.id)).limit(1);
    if (!current) return;
    const failed = ended.reason === 'model_unavailable' || ended.reason === 'model_disconnected';
    // A transferred call goes on without us: Twilio's status callback records its real end.
    const continues = ended.reason === 'transferred';
    const turns = this.#turnLatencies;
    await this.#update({
      status: FINAL.has(current.status) || continues ? current.status : failed ? 'failed' : 'completed',
      endedAt: continues ? current.endedAt : (current.endedAt ?? this.#ctx.clock()),
      durationS: continues
        ? current.durationS
        : (current.durationS ?? Math.round((this.#offsetMs + ended.durationMs) / 1000)),
      endReason: current.endReason && current.endReason !== 'completed' ? current.endReason : ended.reason,
      error: failed ? (current.error ?? `model: ${ended.detail ?? ended.reason}`) : current.error,
      ...this.#usage(current, ended),
      latency: {
        turns,
        count: ended.latency.count,
        p50Ms: ended.latency.p50Ms,
        p90Ms: ended.latency.p90Ms,
        maxMs: ended.latency.maxMs,
      },
    });
    this.event(continues ? 'stream_ended' : 'ended', ended.durationMs, {
      reason: ended.reason,
      detail: ended.detail,
    });
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

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
