import { createTestDatabase, type TestDatabase, testDbKinds } from '@switchboard/db/testing';
import { TestClock } from 'pg-boss';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineJob } from './define.ts';
import { JobQueue } from './queue.ts';

const kinds = await testDbKinds();
const log = pino({ level: 'silent' });

const heartbeatJob = defineJob({ name: 'test.cron-heartbeat', data: z.object({ tag: z.string() }) });

// Two queues on one database stand for two server processes. pg-boss's TestClock moves time by
// hand (its own and the database's), so a minute passes without waiting for one.
describe.each(kinds)('cron schedules on %s', (kind) => {
  let database: TestDatabase;
  let clock: TestClock;
  const queues: JobQueue[] = [];

  beforeAll(async () => {
    // A database of its own: the test clock overrides the queue's notion of now for every queue on it.
    database = await createTestDatabase(kind);
    clock = new TestClock(Date.parse('2030-01-01T00:00:05Z'));
  });
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.stop({ timeoutMs: 1_000 })));
    await database.close();
  });

  it('sends each occurrence once, whichever process runs it', async () => {
    const runs: Array<{ by: string; tag: string }> = [];
    for (const by of ['a', 'b']) {
      const queue = new JobQueue({ database, log, clock });
      queues.push(queue);
      await queue.start();
      await queue.work(heartbeatJob, {}, async ({ data }) => {
        runs.push({ by, tag: data.tag });
      });
      // Both processes declare the same schedule at boot, as the server does.
      await queue.schedule(heartbeatJob, '* * * * *', { tag: 'minutely' });
    }
    // From 00:00:05 to 00:03:30: the occurrences 00:00 (within the minute before the schedule
    // was made, which pg-boss still sends), 00:01, 00:02 and 00:03.
    for (let step = 0; step < 41; step++) await clock.tick(5_000);
    // Let workers poll (their timers run on the test clock) without reaching 00:04.
    await vi.waitFor(
      async () => {
        if (clock.now() < Date.parse('2030-01-01T00:03:55Z')) await clock.tick(1_000);
        expect(runs.length).toBeGreaterThanOrEqual(4);
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(runs.length).toBe(4);
    expect(runs.every((r) => r.tag === 'minutely')).toBe(true);
  });
});
