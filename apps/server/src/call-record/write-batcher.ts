/**
 * One per-process batcher for the rows a live call produces as it goes (transcript segments and
 * timeline events): they are queued and written as multi-row INSERTs at most every
 * `intervalMs` (or at once when `maxRows` are queued), so the database sees a bounded number of
 * queries per second however many calls and frames there are. Rows keep their order (one queue,
 * one flush at a time, inserted in queue order: ids follow it), and each is published live once
 * written. A failed flush keeps its rows at the head of the queue and retries with backoff; only
 * past `maxRetained` rows are the oldest dropped, counted and logged (counts only, never the
 * rows' content). `flush()` writes everything queued now (ending a call awaits it first).
 */
import { callEvents, type DbOrTx, transcriptSegments } from '@switchboard/db';
import type { CallEventInput } from '@switchboard/shared';
import type { AppContext } from '../context.ts';
import { callEventValues, publishCallEvent } from './append-call-event.ts';

type SegmentValues = typeof transcriptSegments.$inferInsert & { role: 'user' | 'assistant' };
type EventValues = typeof callEvents.$inferInsert;
/** `attempts`: failed flushes this row was part of (a retried row is written on its own). */
type Row = ({ kind: 'segment'; values: SegmentValues } | { kind: 'event'; values: EventValues }) & {
  attempts: number;
};

export type BatcherDeps = Pick<AppContext, 'live'> & { db: DbOrTx } & Partial<Pick<AppContext, 'log'>>;

export interface WriteBatcherOptions {
  intervalMs?: number;
  maxRows?: number;
  maxRetained?: number;
}

const MAX_BACKOFF_MS = 5000;
/** A row that failed this many flushes (the last ones on its own) is dropped, counted and logged. */
const MAX_ATTEMPTS = 8;

export class WriteBatcher {
  #deps: BatcherDeps;
  #intervalMs: number;
  #maxRows: number;
  #maxRetained: number;
  #queue: Row[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  #dropped = 0;

  constructor(deps: BatcherDeps, options: WriteBatcherOptions = {}) {
    this.#deps = deps;
    this.#intervalMs = options.intervalMs ?? 250;
    this.#maxRows = options.maxRows ?? 200;
    this.#maxRetained = options.maxRetained ?? 20_000;
  }

  /** Rows waiting to be written (including rows kept after a failed flush). */
  get pending(): number {
    return this.#queue.length;
  }
  /** Rows dropped because the retry buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  segment(call: CallKey, role: 'user' | 'assistant', text: string, atMs: number): void {
    this.#add({
      kind: 'segment',
      values: { organizationId: call.organizationId, callId: call.id, role, text, atMs },
      attempts: 0,
    });
  }

  event(call: CallKey, event: CallEventInput, atMs: number): void {
    this.#add({ kind: 'event', values: callEventValues(call, event, atMs), attempts: 0 });
  }

  /** Writes every row queued now (after any flush in progress); resolves after the attempt. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flushOnce());
    return this.#flushing;
  }

  /** Stops the timer (pending rows stay queued; call `flush()` first to write them). */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #add(row: Row): void {
    this.#queue.push(row);
    if (this.#queue.length >= this.#maxRows && this.#failures === 0) {
      this.close();
      void this.flush();
    } else this.#schedule(this.#intervalMs);
  }

  #schedule(delayMs: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, delayMs);
    this.#timer.unref?.();
  }

  async #flushOnce(): Promise<void> {
    this.close();
    const batch = this.#queue.splice(0, this.#queue.length);
    if (batch.length === 0) return;
    const written: Written[] = [];
    /** Rows kept for the next attempt; a call with a kept row writes nothing after it (order). */
    const kept: Row[] = [];
    const blocked = new Set<string>();
    let failedAny = false;
    for (let i = 0; i < batch.length; ) {
      // Rows that failed before are retried one by one: one bad row cannot block other calls.
      const next = batch.slice(i, i + (batch[i]!.attempts > 0 ? 1 : this.#maxRows));
      i += next.length;
      const chunk = next.filter((row) => !blocked.has(row.values.callId));
      kept.push(...next.filter((row) => blocked.has(row.values.callId)));
      if (chunk.length === 0) continue;
      try {
        written.push(...(await this.#insert(chunk)));
      } catch (error) {
        failedAny = true;
        for (const row of chunk) row.attempts++;
        const gaveUp = chunk.filter((row) => row.attempts >= MAX_ATTEMPTS);
        const retry = chunk.filter((row) => row.attempts < MAX_ATTEMPTS);
        this.#failed(error, retry.length);
        if (gaveUp.length > 0) this.#drop(gaveUp.length, 'failed too often');
        if (chunk.length === 1 && written.length > 0) {
          // The database works (rows were written just before): only this row fails; go on.
          kept.push(...retry);
          for (const row of retry) blocked.add(row.values.callId);
          continue;
        }
        kept.push(...retry, ...batch.slice(i));
        break;
      }
    }
    this.#publish(written);
    if (failedAny) this.#queue.unshift(...kept);
    this.#trim();
    if (!failedAny) this.#failures = 0;
    if (this.#queue.length > 0)
      this.#schedule(
        failedAny ? Math.min(this.#intervalMs * 2 ** this.#failures, MAX_BACKOFF_MS) : this.#intervalMs,
      );
  }

  /**
   * One chunk in one statement: all its rows are written, or none (kept for the retry). Segments
   * and events together are one INSERT with the other in its WITH clause (Postgres runs a
   * data-modifying WITH to completion within the statement), not a transaction of four round
   * trips to the database.
   */
  async #insert(chunk: Row[]): Promise<Written[]> {
    const segments = chunk.flatMap((r) => (r.kind === 'segment' ? [r.values] : []));
    const events = chunk.flatMap((r) => (r.kind === 'event' ? [r.values] : []));
    const { db } = this.#deps;
    let eventRows: (typeof callEvents.$inferSelect)[] = [];
    if (events.length === 0) await db.insert(transcriptSegments).values(segments);
    else if (segments.length === 0) eventRows = await db.insert(callEvents).values(events).returning();
    else {
      const written = db.$with('segments_written').as(db.insert(transcriptSegments).values(segments));
      eventRows = await db.with(written).insert(callEvents).values(events).returning();
    }
    let next = 0;
    return chunk.map((row) => (row.kind === 'event' ? { row, event: eventRows[next++] } : { row }));
  }

  #publish(written: Written[]): void {
    for (const { row, event } of written) {
      const { organizationId, callId } = row.values;
      if (row.kind === 'segment') {
        const { role, text, atMs } = row.values;
        this.#deps.live.publish(organizationId, { type: 'call.transcript', callId, role, text, atMs });
      } else if (event) {
        publishCallEvent(this.#deps.live, event);
      }
    }
  }

  #failed(error: unknown, rows: number): void {
    this.#failures = Math.min(this.#failures + 1, 10);
    // The database's own error (code, message) only: the query error around it quotes the rows.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
    const err = cause
      ? { code: (cause as { code?: unknown }).code, message: cause.message }
      : { name: error instanceof Error ? error.name : typeof error };
    this.#deps.log?.error(
      { err, rows, attempt: this.#failures },
      'call record rows not written yet; will retry',
    );
  }

  #trim(): void {
    const excess = this.#queue.length - this.#maxRetained;
    if (excess <= 0) return;
    this.#queue.splice(0, excess);
    this.#drop(excess, 'retry buffer full');
  }

  #drop(rows: number, why: string): void {
    this.#dropped += rows;
    droppedInProcess += rows;
    this.#deps.log?.error(
      { dropped: rows, droppedTotal: this.#dropped, retained: this.#queue.length },
      `call record rows dropped: ${why}`,
    );
  }
}

type CallKey = { id: string; organizationId: string };
type Written = { row: Row; event?: typeof callEvents.$inferSelect };

const batchers = new WeakMap<object, WriteBatcher>();
let droppedInProcess = 0;

/** Rows every batcher of this process dropped since it started (`GET /health` `callWritesLost`). */
export function callWritesDropped(): number {
  return droppedInProcess;
}

/** The process's batcher for this database (one per database handle, created on first use). */
export function writeBatcherFor(deps: BatcherDeps): WriteBatcher {
  let batcher = batchers.get(deps.db);
  if (!batcher) {
    batcher = new WriteBatcher(deps);
    batchers.set(deps.db, batcher);
  }
  return batcher;
}
