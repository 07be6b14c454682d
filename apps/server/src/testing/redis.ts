/**
 * Redis for tests: 127.0.0.1:6379 (or SWITCHBOARD_TEST_REDIS_URL). Suites that need it skip
 * with a message when it is unreachable; SWITCHBOARD_TEST_REDIS=required (CI) makes that an
 * error and `off` skips without trying.
 */
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MODE = process.env.SWITCHBOARD_TEST_REDIS ?? 'auto';

let reachable: Promise<boolean> | undefined;

async function ping(): Promise<boolean> {
  if (MODE === 'off') return false;
  const probe = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (error) {
    if (MODE === 'required') {
      throw new Error(`Redis is required for tests but unreachable at ${TEST_REDIS_URL}: ${String(error)}`);
    }
    console.warn(
      `[switchboard tests] Redis unreachable at ${TEST_REDIS_URL}: skipping Redis suites ` +
        '(start it, or set SWITCHBOARD_TEST_REDIS=required to make this an error).',
    );
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Whether Redis suites run (checked once per test file). */
export function testRedisReachable(): Promise<boolean> {
  reachable ??= ping();
  return reachable;
}
