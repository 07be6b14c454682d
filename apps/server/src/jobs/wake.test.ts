import type { JobWithMetadata } from 'pg-boss';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { earliestRetryMs, sendDelayMs, WakeTimers } from './wake.ts';

const failed = (fields: Partial<JobWithMetadata<unknown>>) =>
  ({
    retryCount: 0,
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: false,
    ...fields,
  }) as JobWithMetadata<unknown>;

describe('wake timers', () => {
  afterEach(() => vi.useRealTimers());

  it('wakes every worker of the kind once the delay has passed, and only then', () => {
    vi.useFakeTimers();
    const woken: string[] = [];
    const wake = new WakeTimers((id) => woken.push(id));
    wake.addWorker('a', 'a1');
    wake.addWorker('a', 'a2');
    wake.addWorker('b', 'b1');
    wake.after('a', 1_000);
    vi.advanceTimersByTime(999);
    expect(woken).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(woken).toEqual(['a1', 'a2']);
    expect(wake.pending).toBe(0);
  });

  it('sets no timer for a kind with no worker here, a bad delay, or after stop', () => {
    vi.useFakeTimers();
    const woken: string[] = [];
    const wake = new WakeTimers((id) => woken.push(id));
    wake.after('nobody', 10);
    wake.addWorker('a', 'a1');
    wake.after('a', Number.NaN);
    wake.after('a', -5);
    wake.after('a', 365 * 24 * 3600 * 1000);
    expect(wake.pending).toBe(0);
    wake.after('a', 10);
    wake.stop();
    wake.after('a', 10);
    vi.advanceTimersByTime(1_000);
    expect(woken).toEqual([]);
  });

  it('waits longer when the remaining time it asks for is still ahead, a bounded number of times', async () => {
    vi.useFakeTimers();
    const woken: string[] = [];
    const wake = new WakeTimers((id) => woken.push(id));
    wake.addWorker('a', 'a1');
    const left = [700, 0];
    wake.after('a', 1_000, async () => left.shift());
    await vi.advanceTimersByTimeAsync(1_100);
    expect(woken).toEqual([]);
    await vi.advanceTimersByTimeAsync(800);
    expect(woken).toEqual(['a1']);
    wake.after('a', 10, async () => 10_000);
    await vi.advanceTimersByTimeAsync(6 * 10_100);
    expect(woken).toEqual(['a1', 'a1']);
  });
});

describe('due times', () => {
  it('reads the delay a send asked for', () => {
    expect(sendDelayMs(undefined)).toBeUndefined();
    expect(sendDelayMs(2)).toBe(2_000);
    expect(sendDelayMs(new Date(10_500), 10_000)).toBe(500);
  });

  it('computes the earliest retry as pg-boss does', () => {
    expect(earliestRetryMs(failed({}))).toBe(30_000);
    expect(earliestRetryMs(failed({ retryBackoff: true, retryCount: 2 }))).toBe(120_000);
    expect(earliestRetryMs(failed({ retryBackoff: true, retryCount: 2, retryDelayMax: 60 }))).toBe(60_000);
    expect(earliestRetryMs(failed({ retryBackoff: true, retryDelay: 0 }))).toBe(1_000);
    expect(earliestRetryMs(failed({ retryCount: 3 }))).toBeUndefined();
  });
});
