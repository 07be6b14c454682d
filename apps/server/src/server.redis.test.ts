/**
 * Two real servers (startServer) with REDIS_URL: the login rate limit is shared, and a live
 * event published in one process reaches a dashboard connected to the other. Skipped when
 * Redis is unreachable (testing/redis.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';
import { LIVE_CHANNEL_PREFIX, RedisBus } from './live/redis-bus.ts';
import { type RunningServer, startServer } from './server.ts';
import { TEST_REDIS_URL, testRedisReachable } from './testing/redis.ts';

const reachable = await testRedisReachable();
const log = pino({ level: 'silent' });

describe.skipIf(!reachable)('several server processes on one Redis', () => {
  const dirs: string[] = [];
  const servers: RunningServer[] = [];
  // The limiters' Redis keys of this run only (the per-IP counts of 127.0.0.1 would carry over).
  const redisKeyPrefix = `switchboard-test:${randomUUID()}:`;
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'sb-redis-'));
      dirs.push(dir);
      const config = parseConfig({
        DATA_DIR: dir,
        HOST: '127.0.0.1',
        NODE_ENV: 'test',
        REDIS_URL: TEST_REDIS_URL,
      });
      servers.push(
        await startServer({ ...config, port: 0, limits: { ...config.limits, redisKeyPrefix } }, log),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('uses the Redis bus', () => {
    for (const server of servers) expect(server.ctx.live).toBeInstanceOf(RedisBus);
  });

  it('holds the login limit across processes', async () => {
    const email = `nobody-${randomUUID()}@example.test`;
    const attempt = async (server: RunningServer) =>
      (
        await fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password: 'wrong password' }),
        })
      ).status;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await attempt(servers[i % 2]!));
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(await attempt(servers[0]!)).toBe(429);
    expect(await attempt(servers[1]!)).toBe(429);
  });

  it('delivers a live event published in one process to subscribers of the other, once', async () => {
    const [one, two] = servers as [RunningServer, RunningServer];
    const organizationId = randomUUID();
    const received: string[] = [];
    two.ctx.live.subscribe(organizationId, (event) => {
      if (event.type === 'call.transcript') received.push(event.text);
    });
    await (two.ctx.live as RedisBus).ready();
    one.ctx.live.publish(organizationId, {
      type: 'call.transcript',
      callId: 'c1',
      role: 'user',
      text: 'across',
      atMs: 0,
    });
    await expect.poll(() => received).toEqual(['across']);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(received).toEqual(['across']);
    expect(LIVE_CHANNEL_PREFIX).toBe('switchboard:live:');
  });
});
