import { createTestDatabase, type TestDatabase, testDbKinds } from '@switchboard/db/testing';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineJob } from './define.ts';
import { JobQueue } from './queue.ts';
import { PermanentJobError } from './run-job.ts';

const kinds = await testDbKinds();
const log = pino({ level: 'silent' });
const WAIT = { timeout: 20_000, interval: 50 };

let counter = 0;
/** A fresh queue name per test, so tests sharing a database do not see each other's jobs. */
const uniqueName = (base: string) => `test.${base}.${++counter}`;

describe.each(kinds)('job queue on %s', (kind) => {
  let database: TestDatabase;
  const queues: JobQueue[] = [];
  const newQueue = (backstopIntervalMs = 500) => {
    const queue = new JobQueue({ database, log, pollIntervalMs: 500, backstopIntervalMs });
    queues.push(queue);
    return queue;
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.stop({ timeoutMs: 1_000 })));
    await database.close();
  });

  it('runs a job with its validated data', async () => {
    const queue = newQueue();
    const job = defineJob({ name: uniqueName('runs'), data: z.object({ n: z.number() }) });
    const seen: number[] = [];
    await queue.work(job, {}, async ({ data, attempt }) => {
      seen.push(data.n * 10 + attempt);
    });
    const id = await queue.send(job, { n: 4 });
    await vi.waitFor(() => expect(seen).toEqual([41]), WAIT);
    await vi.waitFor(async () => expect((await queue.getJob(job, id!))?.state).toBe('completed'), WAIT);
    await expect(queue.send(job, { n: 'four' } as unknown as { n: number })).rejects.toThrow();
  });

  it('retries a failing job with backoff, then marks it failed with its error', async () => {
    const queue = newQueue();
    const job = defineJob({
      name: uniqueName('fails'),
      data: z.object({}),
      retryLimit: 2,
      retryDelaySeconds: 1,
      retryBackoff: true,
    });
    const attempts: Array<{ attempt: number; lastAttempt: boolean }> = [];
    await queue.work(job, {}, async ({ attempt, lastAttempt }) => {
      attempts.push({ attempt, lastAttempt });
      throw new Error(`attempt ${attempt} broke`);
    });
    const id = await queue.send(job, {});
    await vi.waitFor(async () => expect((await queue.getJob(job, id!))?.state).toBe('failed'), WAIT);
    expect(attempts).toEqual([
      { attempt: 1, lastAttempt: false },
      { attempt: 2, lastAttempt: false },
      { attempt: 3, lastAttempt: true },
    ]);
    const info = await queue.getJob(job, id!);
    expect(info?.retryCount).toBe(2);
    expect(info?.output).toMatchObject({ name: 'Error', message: 'attempt 3 broke' });
  });

  it('fails a job at once on a PermanentJobError', async () => {
    const queue = newQueue();
    const job = defineJob({ name: uniqueName('permanent'), data: z.object({}), retryLimit: 5 });
    let runs = 0;
    await queue.work(job, {}, async () => {
      runs++;
      throw new PermanentJobError('no such call');
    });
    const id = await queue.send(job, {});
    await vi.waitFor(async () => expect((await queue.getJob(job, id!))?.state).toBe('failed'), WAIT);
    expect(runs).toBe(1);
    expect((await queue.getJob(job, id!))?.output).toMatchObject({ message: 'no such call' });
  });

  it('keeps one queued job per key with the exclusive policy', async () => {
    const queue = newQueue();
    const job = defineJob({ name: uniqueName('exclusive'), data: z.object({}), policy: 'exclusive' });
    const first = await queue.send(job, {}, { singletonKey: 'call-1', delaySeconds: 60 });
    expect(first).toEqual(expect.any(String));
    expect(await queue.send(job, {}, { singletonKey: 'call-1' })).toBeNull();
    expect(await queue.send(job, {}, { singletonKey: 'call-2' })).toEqual(expect.any(String));
  });

  it('sends inside a transaction: nothing on rollback, the job on commit', async () => {
    const queue = newQueue();
    const job = defineJob({ name: uniqueName('tx'), data: z.object({ k: z.string() }) });
    // Defined before the queue starts, as a module-level definition is in the server.
    await queue.start();
    await expect(
      database.db.transaction(async (tx) => {
        await queue.send(job, { k: 'rolled back' }, { tx });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    let committed: string | null = null;
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      committed = await queue.send(job, { k: 'committed' }, { tx });
    });
    const seen: string[] = [];
    await queue.work(job, {}, async ({ data }) => {
      seen.push(data.k);
    });
    await vi.waitFor(() => expect(seen).toEqual(['committed']), WAIT);
    expect(committed).toEqual(expect.any(String));
  });

  it('keeps jobs across a restart, and retries one cut off by shutdown', async () => {
    const job = defineJob({
      name: uniqueName('restart'),
      data: z.object({ n: z.number() }),
      retryDelaySeconds: 0,
    });
    const before = newQueue();
    let release: (() => void) | undefined;
    await before.work(job, {}, async ({ data, signal }) => {
      if (data.n !== 1) return;
      // Hangs until shutdown gives up on it.
      await new Promise<void>((resolve) => {
        release = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      throw new Error('cut off');
    });
    const cutOff = await before.send(job, { n: 1 });
    await vi.waitFor(() => expect(release).toBeDefined(), WAIT);
    await before.stop({ timeoutMs: 1_000 });
    const waiting = await newQueue()
      .send(job, { n: 2 })
      .catch(() => null);

    const after = newQueue();
    const seen: Array<{ n: number; attempt: number }> = [];
    await after.work(job, { concurrency: 2 }, async ({ data, attempt }) => {
      seen.push({ n: data.n, attempt });
    });
    await vi.waitFor(() => expect(seen).toHaveLength(2), WAIT);
    expect(seen).toEqual(
      expect.arrayContaining([
        { n: 1, attempt: 2 },
        { n: 2, attempt: 1 },
      ]),
    );
    // The queue marks the job completed just after its handler returns.
    await vi.waitFor(async () => expect((await after.getJob(job, cutOff!))?.state).toBe('completed'), WAIT);
    expect(waiting).toEqual(expect.any(String));
  });

  it('never runs one job twice across two queue instances (two processes)', async () => {
    const job = defineJob({ name: uniqueName('claims'), data: z.object({ n: z.number() }) });
    const runs = new Map<number, string[]>();
    for (const by of ['a', 'b']) {
      await newQueue().work(job, { concurrency: 4 }, async ({ data }) => {
        runs.set(data.n, [...(runs.get(data.n) ?? []), by]);
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
    }
    const sender = newQueue();
    for (let n = 0; n < 40; n++) await sender.send(job, { n });
    await vi.waitFor(() => expect(runs.size).toBe(40), WAIT);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect([...runs.values()].filter((by) => by.length !== 1)).toEqual([]);
  });

  it('runs a deferred job when it falls due, without waiting for the backstop poll', async () => {
    const queue = newQueue(60_000);
    const job = defineJob({ name: uniqueName('deferred'), data: z.object({}) });
    const ranAt: number[] = [];
    await queue.work(job, {}, async () => {
      ranAt.push(Date.now());
    });
    // Let the worker's first fetch (at start) pass, so only a wake-up can find the job.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentAt = Date.now();
    await queue.send(job, {}, { delaySeconds: 1 });
    await vi.waitFor(() => expect(ranAt).toHaveLength(1), WAIT);
    expect(ranAt[0]! - sentAt).toBeGreaterThanOrEqual(1_000);
    expect(ranAt[0]! - sentAt).toBeLessThan(30_000);
  });

  it('runs a retry when it falls due, without waiting for the backstop poll', async () => {
    const queue = newQueue(60_000);
    const job = defineJob({
      name: uniqueName('retry-wake'),
      data: z.object({}),
      retryLimit: 1,
      retryDelaySeconds: 1,
    });
    const attempts: number[] = [];
    await queue.work(job, {}, async ({ attempt }) => {
      attempts.push(attempt);
      if (attempt === 1) throw new Error('first attempt broke');
    });
    await queue.send(job, {});
    await vi.waitFor(() => expect(attempts).toEqual([1, 2]), WAIT);
  });
});
