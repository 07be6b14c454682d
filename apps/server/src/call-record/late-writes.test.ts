/**
 * Late writes never undo a final status or clobber a newer value: the recorder's end, its
 * "answered" and the AMD result are each one conditional statement. The races are made
 * deterministic by writing the final status (as a status callback would) exactly between the
 * read a write decides from and its statement.
 */
import { calls } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAmdResult } from '../services/apply-amd-result.ts';
import { applyCallStatus } from '../services/apply-call-status.ts';
import { insertCall } from '../testing/fixtures.ts';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { endCall } from './end-call.ts';
import { CallRecorder } from './recorder.ts';
import { loadCall } from './update-call.ts';

const kinds = await testDbKinds();

const ENDED = {
  reason: 'caller_hangup' as const,
  durationMs: 61_000,
  usage: {} as never,
  latency: { count: 0, p50Ms: null, p90Ms: null, maxMs: null },
  bargeIns: 0,
  toolCalls: 0,
};

describe.each(kinds)('late writes on %s', (kind) => {
  let t: TestApp;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    org = await t.seedOrg();
  });
  afterAll(() => t?.close());

  const newCall = (values: Partial<typeof calls.$inferInsert> = {}) =>
    insertCall(t.ctx.db, org.id, {
      direction: 'outbound',
      status: 'in-progress',
      agentId: org.agent.id,
      providerCallSid: `CA${crypto.randomUUID().replaceAll('-', '')}`,
      ...values,
    });

  /** Twilio's final status, as its callback writes it. */
  const busy = (call: Awaited<ReturnType<typeof newCall>>) =>
    applyCallStatus(t.ctx, call, {
      callSid: call.providerCallSid ?? undefined,
      callStatus: 'busy',
      sequenceNumber: 5,
      callDurationS: 7,
      answeredBy: null,
    } as never);

  /** The database, where `before` runs once just before the first update of the calls table. */
  function raceBeforeUpdate(before: () => Promise<unknown>) {
    let raced = false;
    return new Proxy(t.ctx.db, {
      get(target, prop, receiver) {
        if (prop !== 'update') return Reflect.get(target, prop, receiver);
        return (table: unknown) => {
          const real = target.update(table as typeof calls);
          if (table !== calls || raced) return real;
          raced = true;
          return {
            set: (values: never) => ({
              where: (condition: never) => ({
                returning: async () => {
                  await before();
                  return real.set(values).where(condition).returning();
                },
              }),
            }),
          };
        };
      },
    });
  }

  it("keeps a final status written between the recorder's read and its end", async () => {
    const call = await newCall();
    const db = raceBeforeUpdate(() => busy(call));
    const recorder = new CallRecorder({ ...t.ctx, db }, call);
    await recorder.finish(ENDED);
    const row = await loadCall(t.ctx.db, call);
    expect(row).toMatchObject({ status: 'busy', durationS: 7, lastStatusSeq: 5, endReason: 'busy' });
  });

  it('a late end of the stream keeps the final status already written', async () => {
    const call = await newCall();
    await busy(call);
    const recorder = new CallRecorder(t.ctx, call);
    await recorder.finish(ENDED);
    expect(await loadCall(t.ctx.db, call)).toMatchObject({ status: 'busy', durationS: 7 });
  });

  it('an end decided from a row read before a final status was written keeps that status', async () => {
    const call = await newCall();
    const stale = await loadCall(t.ctx.db, call);
    await busy(call);
    const ended = { kind: 'session' as const, ended: ENDED, atMs: 61_000 };
    const row = await endCall(t.ctx, call, ended, { current: stale ?? undefined });
    expect(row).toMatchObject({ status: 'busy', durationS: 7, endReason: 'busy' });
    expect(await loadCall(t.ctx.db, call)).toMatchObject({ status: 'busy', durationS: 7 });
  });

  it('"answered" after a final status keeps the final status', async () => {
    const call = await newCall({ status: 'ringing' });
    const db = raceBeforeUpdate(() => busy(call));
    const recorder = new CallRecorder({ ...t.ctx, db }, call);
    recorder.answered();
    await recorder.flushed();
    const row = await loadCall(t.ctx.db, call);
    expect(row?.status).toBe('busy');
    expect(row?.answeredAt).not.toBeNull();
  });

  it('a late AMD result neither overwrites the answer recorded nor marks a final call', async () => {
    const call = await newCall({ answeredBy: 'human' });
    await busy(call);
    // The AMD callback read the call before the final status and the answer were written.
    await applyAmdResult(t.ctx, call, {
      callSid: call.providerCallSid ?? undefined,
      answeredBy: 'machine_end_beep',
      detectionMs: 3000,
    });
    const [row] = await t.ctx.db.select().from(calls).where(eq(calls.id, call.id));
    expect(row).toMatchObject({ status: 'busy', answeredBy: 'human', endReason: 'busy' });
  });

  it('an AMD result for a call not yet answered is recorded', async () => {
    const call = await newCall();
    await applyAmdResult(t.ctx, call, {
      callSid: call.providerCallSid ?? undefined,
      answeredBy: 'human',
      detectionMs: 900,
    });
    expect((await loadCall(t.ctx.db, call))?.answeredBy).toBe('human');
  });
});
