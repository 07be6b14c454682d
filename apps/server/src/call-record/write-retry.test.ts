/**
 * Transcript and event writes are never silently dropped: a database that fails a few times
 * gets every entry exactly once, in order; one that always fails costs the entries (counted,
 * logged once per call with the count, no transcript text) but never the call.
 */
import { callEvents, transcriptSegments } from '@switchboard/db';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../context.ts';
import { insertCall } from '../testing/fixtures.ts';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { CallRecorder } from './recorder.ts';
import { WriteRetryBuffer } from './write-retry.ts';

const kinds = await testDbKinds();

/** The test database, whose inserts into `table` fail while `failures()` says so. */
function flakyDb(db: TestApp['ctx']['db'], table: unknown, failures: () => boolean) {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'insert') return Reflect.get(target, prop, receiver);
      return (t: unknown) => {
        if (t === table && failures()) {
          const fail = () =>
            Promise.reject(Object.assign(new Error('connection lost: secret words'), { code: 'ECONNRESET' }));
          // `insert(...).values(...)` is awaited, or `.returning()` is.
          return {
            values: () => {
              const failed = fail();
              failed.catch(() => {});
              return Object.assign(failed, { returning: fail });
            },
          };
        }
        return target.insert(t as never);
      };
    },
  });
}

function memoryLog() {
  const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) =>
    lines.push({ level, obj, msg });
  const log = {
    warn: at('warn'),
    error: at('error'),
    info: at('info'),
    debug: at('debug'),
  } as unknown as Logger;
  return { log, lines };
}

describe.each(kinds)('call record writes that fail on %s', (kind) => {
  let t: TestApp;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    org = await t.seedOrg();
  });
  afterAll(() => t?.close());

  const newCall = () =>
    insertCall(t.ctx.db, org.id, { direction: 'inbound', status: 'in-progress', agentId: org.agent.id });
  const segments = async (callId: string) =>
    (
      await t.ctx.db
        .select()
        .from(transcriptSegments)
        .where(eq(transcriptSegments.callId, callId))
        .orderBy(asc(transcriptSegments.id))
    ).map((s) => s.text);

  it('retries a failing write: every entry written once, in order', async () => {
    const call = await newCall();
    let failuresLeft = 3;
    const db = flakyDb(t.ctx.db, transcriptSegments, () => failuresLeft-- > 0);
    const buffer = new WriteRetryBuffer({ retryDelaysMs: [1, 1, 1, 1], sleep: () => Promise.resolve() });
    const { log, lines } = memoryLog();
    const recorder = new CallRecorder({ ...t.ctx, db, log, writeBuffer: buffer }, call);
    for (const text of ['one', 'two', 'three', 'four']) recorder.transcript('user', text);
    recorder.event('dtmf', { digit: '5', handled: true });
    await recorder.flushed();

    expect(await segments(call.id)).toEqual(['one', 'two', 'three', 'four']);
    const events = await t.ctx.db.select().from(callEvents).where(eq(callEvents.callId, call.id));
    expect(events.map((e) => e.type)).toEqual(['dtmf']);
    expect(buffer.lost).toBe(0);
    expect(buffer.held).toBe(0);
    expect(recorder.lost).toBe(0);
    // One warning for the call, naming the kind of failure only.
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('secret words');
  });

  it('counts and logs once what always fails; the call still ends', async () => {
    const call = await newCall();
    const db = flakyDb(t.ctx.db, transcriptSegments, () => true);
    const buffer = new WriteRetryBuffer({ retryDelaysMs: [1, 1], sleep: () => Promise.resolve() });
    const { log, lines } = memoryLog();
    const recorder = new CallRecorder({ ...t.ctx, db, log, writeBuffer: buffer }, call);
    recorder.transcript('user', 'my card number is 4111');
    recorder.transcript('assistant', 'thank you');
    recorder.event('dtmf', { digit: '1', handled: false });
    await recorder.finish({
      reason: 'caller_hangup',
      durationMs: 1000,
      usage: {} as never,
      latency: { count: 0, p50Ms: null, p90Ms: null, maxMs: null },
      bargeIns: 0,
      toolCalls: 0,
    });
    await recorder.flushed();

    expect(await segments(call.id)).toEqual([]);
    expect(buffer.lost).toBe(2);
    expect(recorder.lost).toBe(2);
    const [row] = await t.ctx.db.select().from(callEvents).where(eq(callEvents.callId, call.id));
    expect(row?.type).toBe('dtmf');
    const res = await t.as(org.tokens.viewer).get(`/api/calls/${call.id}`);
    expect(res.json()).toMatchObject({ status: 'completed', endReason: 'caller_hangup' });
    const losses = lines.filter((l) => l.level === 'error');
    expect(losses).toEqual([
      { level: 'error', obj: { callId: call.id, lost: 2 }, msg: 'call data lost: entries not written' },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/4111|thank you|secret words/);
  });

  it('holds a bounded number of entries per process: beyond it they are counted as lost', async () => {
    const call = await newCall();
    let fail = true;
    const db = flakyDb(t.ctx.db, transcriptSegments, () => fail);
    let wake: () => void = () => {};
    const buffer = new WriteRetryBuffer({
      maxEntries: 3,
      retryDelaysMs: [1],
      sleep: () => new Promise<void>((resolve) => (wake = resolve)),
    });
    const { log } = memoryLog();
    const recorder = new CallRecorder({ ...t.ctx, db, log, writeBuffer: buffer }, call);
    for (const text of ['a', 'b', 'c', 'd', 'e']) recorder.transcript('user', text);
    expect(buffer.held).toBe(3);
    expect(buffer.lost).toBe(2);
    fail = false;
    await new Promise((resolve) => setImmediate(resolve));
    wake();
    await recorder.flushed();
    expect(await segments(call.id)).toEqual(['a', 'b', 'c']);
    expect(buffer.held).toBe(0);
  });

  it('bounds the bytes held too', () => {
    const buffer = new WriteRetryBuffer({ maxBytes: 1_000 });
    const first = buffer.hold(600);
    expect(first).not.toBeNull();
    expect(buffer.hold(600)).toBeNull();
    first?.release();
    first?.release();
    expect(buffer.hold(600)).not.toBeNull();
    expect(buffer.lost).toBe(1);
  });
});
