/**
 * Two RedisBus instances stand for two server processes on one Redis (see testing/redis.ts:
 * skipped with a message when Redis is unreachable, an error with SWITCHBOARD_TEST_REDIS=required).
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL as REDIS_URL, testRedisReachable } from '../testing/redis.ts';
import type { LiveEvent } from './bus.ts';
import { RedisBus, redisClientOf } from './redis-bus.ts';

const log = pino({ level: 'silent' });
const reachable = await testRedisReachable();
const transcript = (text: string): LiveEvent => ({
  type: 'call.transcript',
  callId: 'c1',
  role: 'user',
  text,
  atMs: 0,
});

describe.skipIf(!reachable)('RedisBus (two processes on one Redis)', () => {
  const buses: RedisBus[] = [];
  // A prefix per test run keeps parallel runs on the same Redis apart.
  const bus = () => {
    const b = new RedisBus({ url: REDIS_URL, log, prefix: `switchboard-test:${randomUUID()}:` });
    buses.push(b);
    return b;
  };
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });

  function pair() {
    const prefix = `switchboard-test:${randomUUID()}:`;
    const one = new RedisBus({ url: REDIS_URL, log, prefix });
    const two = new RedisBus({ url: REDIS_URL, log, prefix });
    buses.push(one, two);
    return [one, two] as const;
  }

  it('delivers an event published on one process once to the other’s subscribers, and once locally', async () => {
    const [one, two] = pair();
    const onOne: LiveEvent[] = [];
    const onTwo: LiveEvent[] = [];
    const otherOrg: LiveEvent[] = [];
    one.subscribe('org-a', (e) => onOne.push(e));
    two.subscribe('org-a', (e) => onTwo.push(e));
    two.subscribe('org-b', (e) => otherOrg.push(e));
    await Promise.all([one.ready(), two.ready()]);

    one.publish('org-a', transcript('hello'));
    two.publish('org-a', transcript('back'));
    await expect.poll(() => onTwo.length).toBe(2);
    await expect.poll(() => onOne.length).toBe(2);
    // Give a duplicate time to show up.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(onOne).toEqual([transcript('hello'), transcript('back')]);
    expect(onTwo).toEqual([transcript('back'), transcript('hello')]);
    expect(otherOrg).toEqual([]);
  });

  it('stops delivering after unsubscribe and after close', async () => {
    const [one, two] = pair();
    const received: LiveEvent[] = [];
    const unsubscribe = two.subscribe('org-a', (e) => received.push(e));
    await two.ready();
    one.publish('org-a', transcript('1'));
    await expect.poll(() => received.length).toBe(1);
    unsubscribe();
    unsubscribe();
    await two.ready();
    one.publish('org-a', transcript('2'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(received).toHaveLength(1);
    await two.close();
    expect(() => two.publish('org-a', transcript('3'))).not.toThrow();
  });

  it('lends its command connection to other Redis users (the rate limiter)', async () => {
    const b = bus();
    expect(redisClientOf(b)).toBe(b.client);
    expect(await b.client.ping()).toBe('PONG');
  });
});

describe('RedisBus without Redis', () => {
  it('keeps delivering locally and never throws when Redis is unreachable', async () => {
    const b = new RedisBus({ url: 'redis://127.0.0.1:1', log });
    const received: LiveEvent[] = [];
    b.subscribe('org-a', (e) => received.push(e));
    expect(() => b.publish('org-a', transcript('local'))).not.toThrow();
    expect(received).toEqual([transcript('local')]);
    await b.close();
  });
});
