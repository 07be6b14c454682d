import { describe, expect, it } from 'vitest';
import { LatencyStats } from './latency.ts';
import { PlaybackTracker, truncationPoint } from './playback-tracker.ts';

describe('PlaybackTracker', () => {
  it('names marks by item and cumulative ms, and counts played audio from echoes', () => {
    const t = new PlaybackTracker();
    expect(t.forwarded('a', 40)).toBe('a:40');
    expect(t.forwarded('a', 40)).toBe('a:80');
    expect(t.forwarded('a', 40)).toBe('a:120');
    expect(t.played('a:40')).toBe(true);
    expect(t.unplayed()).toEqual([
      { itemId: 'a', forwardedMs: 120, playedMs: 40, pendingMarks: 2, done: false },
    ]);
  });

  it('treats earlier marks as played when a later one echoes (FIFO)', () => {
    const t = new PlaybackTracker();
    t.forwarded('a', 20);
    t.forwarded('a', 20);
    t.forwarded('b', 30);
    t.played('b:30');
    expect(t.outstanding).toBe(false);
    t.finishItems();
    expect(t.takeCompleted().map((i) => [i.itemId, i.playedMs])).toEqual([
      ['a', 40],
      ['b', 30],
    ]);
  });

  it('voids outstanding marks on clear so their echoes are ignored', () => {
    const t = new PlaybackTracker();
    t.forwarded('a', 100);
    t.forwarded('a', 100);
    t.played('a:100');
    const interrupted = t.interrupt();
    expect(interrupted).toEqual([
      { itemId: 'a', forwardedMs: 200, playedMs: 100, pendingMarks: 0, done: false },
    ]);
    expect(t.played('a:200')).toBe(false);
    expect(t.outstanding).toBe(false);
  });

  it('also interrupts an item still being generated whose audio was all played', () => {
    const t = new PlaybackTracker();
    t.forwarded('a', 100);
    t.played('a:100');
    expect(t.interrupt()).toEqual([
      { itemId: 'a', forwardedMs: 100, playedMs: 100, pendingMarks: 0, done: false },
    ]);
    t.forwarded('b', 100);
    t.played('b:100');
    t.finishItems();
    expect(t.interrupt()).toEqual([]);
  });

  it('keeps mark names unique when rounding collides', () => {
    const t = new PlaybackTracker();
    t.forwarded('a', 0.1);
    expect(t.forwarded('a', 0.1)).toBe('a:0#2');
  });

  it('resolves drained() once the marks outstanding at call time are echoed or cleared', async () => {
    const t = new PlaybackTracker();
    await t.drained();
    t.forwarded('a', 20);
    let done = false;
    const p = t.drained().then(() => {
      done = true;
    });
    t.forwarded('a', 20);
    await Promise.resolve();
    expect(done).toBe(false);
    t.played('a:20');
    await p;
    expect(done).toBe(true);
    const q = t.drained();
    t.interrupt();
    await q;
  });

  it('clamps the truncation point to forwarded audio (minus the margin once generation ended)', () => {
    const item = { itemId: 'a', forwardedMs: 1000, playedMs: 980, pendingMarks: 1, done: true };
    expect(truncationPoint(item, 100)).toBe(900);
    expect(truncationPoint({ ...item, done: false }, 100)).toBe(980);
    expect(truncationPoint({ ...item, playedMs: 400.7 }, 100)).toBe(400);
    expect(truncationPoint({ ...item, forwardedMs: 50, playedMs: 0 }, 100)).toBe(0);
  });
});

describe('LatencyStats', () => {
  it('computes nearest-rank percentiles', () => {
    const s = new LatencyStats();
    expect(s.summary()).toEqual({ count: 0, p50Ms: null, p90Ms: null, maxMs: null });
    for (const ms of [500, 100, 300, 200, 400, 600, 700, 800, 900, 1000]) s.record(ms);
    expect(s.summary()).toEqual({ count: 10, p50Ms: 500, p90Ms: 900, maxMs: 1000 });
  });
});
