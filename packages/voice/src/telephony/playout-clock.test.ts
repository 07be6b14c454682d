import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PlayoutClock } from './playout-clock.ts';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(10_000);
});
afterEach(() => {
  vi.useRealTimers();
});

function clock() {
  const played: string[] = [];
  const c = new PlayoutClock({ onPlayed: (name) => played.push(name) });
  return { c, played };
}

describe('PlayoutClock', () => {
  it('plays chunks back to back from the first one, with one timer at a time', () => {
    const { c, played } = clock();
    for (let i = 1; i <= 5; i++) {
      c.queued(20);
      c.mark(`m${i}`);
    }
    expect(c.bufferedMs).toBe(100);
    expect(c.pendingMarks).toBe(5);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(59);
    expect(played).toEqual(['m1', 'm2']);
    vi.advanceTimersByTime(41);
    expect(played).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a mark with nothing queued before it is due now', () => {
    const { c, played } = clock();
    c.mark('m0');
    vi.advanceTimersByTime(0);
    expect(played).toEqual(['m0']);
  });

  it('clear returns the pending marks, stops the timer and restarts the playhead', () => {
    const { c, played } = clock();
    c.queued(200);
    c.mark('a');
    c.queued(200);
    c.mark('b');
    vi.advanceTimersByTime(250);
    expect(c.clear()).toEqual(['b']);
    expect(played).toEqual(['a']);
    expect(c.bufferedMs).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    c.queued(30);
    c.mark('c');
    vi.advanceTimersByTime(30);
    expect(played).toEqual(['a', 'c']);
  });

  it('stop forgets everything, for good', () => {
    const { c, played } = clock();
    c.queued(20);
    c.mark('a');
    c.stop();
    c.queued(20);
    c.mark('b');
    vi.advanceTimersByTime(1000);
    expect(played).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a throwing callback does not break the clock', () => {
    const played: string[] = [];
    const c = new PlayoutClock({
      onPlayed: (name) => {
        played.push(name);
        throw new Error('boom');
      },
    });
    c.queued(10);
    c.mark('a');
    c.queued(10);
    c.mark('b');
    vi.advanceTimersByTime(20);
    expect(played).toEqual(['a', 'b']);
  });
});
