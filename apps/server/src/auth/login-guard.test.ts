import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, testRedisReachable } from '../testing/redis.ts';
import { LoginGuard, LoginRefused } from './login-guard.ts';

const log = pino({ level: 'silent' });
const limits = { failuresPerIp: 3, failuresPerAccount: 2, windowMs: 60_000, concurrency: 1 };
const fail = async () => ({ ok: false });

describe('login guard', () => {
  it('refuses at once while every password-check slot is busy', async () => {
    const guard = new LoginGuard(limits, { log });
    let release: () => void = () => {};
    const slow = guard.attempt(
      '1.1.1.1',
      'a@x.test',
      () =>
        new Promise<{ ok: boolean }>((r) => {
          release = () => r({ ok: true });
        }),
    );
    await new Promise((r) => setImmediate(r));
    const busy = await guard.attempt('1.1.1.2', 'b@x.test', fail).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(LoginRefused);
    expect((busy as LoginRefused).retryAfterS).toBe(1);
    release();
    expect(await slow).toEqual({ ok: true });
    expect(await guard.attempt('1.1.1.2', 'b@x.test', fail)).toEqual({ ok: false });
  });

  it('counts locally when Redis is unreachable', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => {});
    const guard = new LoginGuard(limits, { redis: down, prefix: `t:${randomUUID()}:`, log });
    for (let i = 0; i < 2; i++) await guard.attempt('2.2.2.2', 'c@x.test', fail);
    await expect(guard.attempt('2.2.2.3', 'c@x.test', fail)).rejects.toBeInstanceOf(LoginRefused);
    down.disconnect();
  });
});

const reachable = await testRedisReachable();
describe.skipIf(!reachable)('login guard on Redis', () => {
  const clients: Redis[] = [];
  afterAll(() => {
    for (const c of clients) c.disconnect();
  });
  it('shares the counts between processes', async () => {
    const prefix = `switchboard-test:${randomUUID()}:`;
    const guards = [0, 1].map(() => {
      const redis = new Redis(TEST_REDIS_URL);
      clients.push(redis);
      return new LoginGuard(limits, { redis, prefix, log });
    });
    await guards[0]!.attempt('3.3.3.3', 'd@x.test', fail);
    await guards[1]!.attempt('3.3.3.4', 'd@x.test', fail);
    const refused = await guards[0]!.attempt('3.3.3.5', 'd@x.test', fail).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LoginRefused);
    expect((refused as LoginRefused).retryAfterS).toBeGreaterThan(1);
  });
});
