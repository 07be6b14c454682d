import { callEvents, type DbOrTx, transcriptSegments } from '@switchboard/db';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallRow } from '../mappers/calls.ts';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { CallRecorder } from './recorder.ts';
import { createCall } from './update-call.ts';
import { WriteBatcher } from './write-batcher.ts';

const kinds = await testDbKinds();

/**
 * The database behind a counter of INSERT statements, which can be made to fail. An INSERT built
 * into another's WITH clause (`$with(…).as(insert)`) is part of that statement, not one more.
 */
function countingDb(db: DbOrTx) {
  const state = { inserts: 0, fail: false };
  const wrap = (inner: DbOrTx): DbOrTx =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'insert')
          return (table: never) => {
            state.inserts++;
            if (state.fail) throw new Error('connection refused');
            return target.insert(table);
          };
        if (prop === '$with')
          return (alias: string) => ({
            as: (query: never) => {
              state.inserts--;
              return target.$with(alias).as(query);
            },
          });
        if (prop === 'with')
          return (...queries: Parameters<DbOrTx['with']>) => {
            const builder = target.with(...queries);
            return {
              ...builder,
              insert: (table: never) => {
                state.inserts++;
                return builder.insert(table);
              },
            };
          };
        if (prop === 'transaction')
          return (fn: (tx: DbOrTx) => Promise<unknown>) => target.transaction((tx) => fn(wrap(tx as DbOrTx)));
        return Reflect.get(target, prop, receiver);
      },
    });
  return { db: wrap(db), state };
}

describe.each(kinds)('call record write batcher on %s', (kind) => {
  let t: TestApp;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    org = await t.seedOrg();
  });
  afterAll(() => t.close());

  const newCall = async (): Promise<CallRow> =>
    (await createCall(t.ctx, { organizationId: org.id, direction: 'inbound', status: 'in-progress' }))!;
  const segmentsOf = (call: CallRow) =>
    t.ctx.db
      .select({ text: transcriptSegments.text })
      .from(transcriptSegments)
      .where(eq(transcriptSegments.callId, call.id))
      .orderBy(asc(transcriptSegments.id));
  const eventsOf = (call: CallRow) =>
    t.ctx.db
      .select({ type: callEvents.type, data: callEvents.data })
      .from(callEvents)
      .where(eq(callEvents.callId, call.id))
      .orderBy(asc(callEvents.id));

  function batcher(options: { maxRows?: number } = {}) {
    const { db, state } = countingDb(t.ctx.db);
    const live = { publish: vi.fn() };
    const log = { error: vi.fn() };
    // A long interval: these tests flush by hand or by the row threshold, never by the clock.
    const b = new WriteBatcher(
      { db, live: live as never, log: log as never },
      { intervalMs: 60_000, ...options },
    );
    return { b, state, live, log };
  }

  it('writes many rows of several calls in a bounded number of INSERTs, in order per call', async () => {
    const [one, two] = [await newCall(), await newCall()];
    const { b, state, live } = batcher({ maxRows: 1000 });
    for (let i = 0; i < 150; i++) {
      b.segment(one, 'assistant', `one ${i}`, i * 20);
      b.event(two, { type: 'dtmf', data: { digit: String(i % 10), handled: false } }, i * 20);
      b.segment(two, 'user', `two ${i}`, i * 20);
    }
    expect(state.inserts).toBe(0);
    await b.flush();
    expect(state.inserts).toBe(1); // one INSERT statement (the other table's in its WITH) for 450 rows
    expect((await segmentsOf(one)).map((s) => s.text)).toEqual(
      Array.from({ length: 150 }, (_, i) => `one ${i}`),
    );
    expect((await segmentsOf(two)).map((s) => s.text)).toEqual(
      Array.from({ length: 150 }, (_, i) => `two ${i}`),
    );
    expect((await eventsOf(two)).map((e) => e.data.digit)).toEqual(
      Array.from({ length: 150 }, (_, i) => String(i % 10)),
    );
    // Published live once written, in the order the rows were queued.
    const published = live.publish.mock.calls.map(([, e]) =>
      e.type === 'call.transcript' ? e.text : e.event.type,
    );
    expect(published.slice(0, 3)).toEqual(['one 0', 'dtmf', 'two 0']);
    expect(published).toHaveLength(450);
    b.close();
  });

  it('flushes on its own once the row threshold is queued', async () => {
    const call = await newCall();
    const { b, state } = batcher({ maxRows: 10 });
    for (let i = 0; i < 25; i++) b.segment(call, 'user', `line ${i}`, i);
    await b.flush();
    expect(state.inserts).toBe(3); // 10 + 10 by the threshold, the last 5 by the flush
    expect((await segmentsOf(call)).map((s) => s.text)).toEqual(
      Array.from({ length: 25 }, (_, i) => `line ${i}`),
    );
    b.close();
  });

  it('keeps the rows of a failed flush and writes them, in order, on the retry; logs no content', async () => {
    const call = await newCall();
    const { b, state, log, live } = batcher();
    b.segment(call, 'user', 'my card number is 4111', 1);
    b.event(call, { type: 'dtmf', data: { digit: '1', handled: true } }, 2);
    state.fail = true;
    await b.flush();
    expect(b.pending).toBe(2);
    expect(b.dropped).toBe(0);
    expect(live.publish).not.toHaveBeenCalled();
    expect(await segmentsOf(call)).toEqual([]);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(log.error.mock.calls)).not.toContain('4111');
    b.segment(call, 'assistant', 'noted', 3);
    state.fail = false;
    await b.flush();
    expect(b.pending).toBe(0);
    expect((await segmentsOf(call)).map((s) => s.text)).toEqual(['my card number is 4111', 'noted']);
    expect((await eventsOf(call)).map((e) => e.type)).toEqual(['dtmf']);
    b.close();
  });

  it('writes the good rows around a row that can never be written, and drops that one counted', async () => {
    const call = await newCall();
    const { b, log } = batcher();
    const gone = { id: '00000000-0000-4000-8000-000000000000', organizationId: org.id };
    b.segment(call, 'user', 'before', 1);
    b.segment(gone, 'user', 'orphan', 2);
    b.segment(call, 'user', 'after', 3);
    for (let attempt = 0; attempt < 10 && b.pending > 0; attempt++) await b.flush();
    expect((await segmentsOf(call)).map((s) => s.text)).toEqual(['before', 'after']);
    expect(b.dropped).toBe(1);
    expect(b.pending).toBe(0);
    expect(JSON.stringify(log.error.mock.calls)).not.toContain('orphan');
    b.close();
  });

  it('writes the segments and events of a chunk in one statement: all of them or none', async () => {
    const call = await newCall();
    const { b, state } = batcher();
    const gone = { id: '00000000-0000-4000-8000-000000000001', organizationId: org.id };
    b.segment(call, 'user', 'held back with the event', 1);
    b.event(gone, { type: 'dtmf', data: { digit: '5', handled: false } }, 2);
    await b.flush();
    expect(state.inserts).toBe(1);
    expect(await segmentsOf(call)).toEqual([]); // the event's failure undid the segment too
    expect(b.pending).toBe(2);
    for (let attempt = 0; attempt < 10 && b.pending > 0; attempt++) await b.flush();
    expect((await segmentsOf(call)).map((s) => s.text)).toEqual(['held back with the event']);
    expect(b.dropped).toBe(1);
    b.close();
  });

  it('ending a call writes its queued transcript before the end of the call', async () => {
    const call = await newCall();
    const recorder = new CallRecorder({ ...t.ctx }, call);
    recorder.answered();
    recorder.transcript('user', 'hello');
    recorder.transcript('assistant', 'hi, how can I help?');
    await recorder.finish({
      reason: 'caller_hangup',
      durationMs: 1000,
      usage: {} as never,
      latency: { count: 0, p50Ms: null, p90Ms: null, maxMs: null },
      bargeIns: 0,
      toolCalls: 0,
    });
    expect((await segmentsOf(call)).map((s) => s.text)).toEqual(['hello', 'hi, how can I help?']);
  });
});
