import { describe, expect, it } from 'vitest';
import { InputTimeline } from './input-timeline.ts';

describe('InputTimeline', () => {
  it('maps an audio position to the time it was forwarded', () => {
    const t = new InputTimeline();
    for (let n = 0; n < 50; n++) t.advance(20, 1000 + n * 20); // chunk n forwarded when it ended
    expect(t.wallTimeAt(500)).toBe(1000 + 24 * 20 - 0); // position 500 is the end of chunk 24
    expect(t.wallTimeAt(510)).toBe(1000 + 25 * 20 - 10);
    expect(t.wallTimeAt(0)).toBe(980);
    expect(t.wallTimeAt(1001)).toBeUndefined();
  });
  it('forgets audio older than its window and restarts on reset', () => {
    const t = new InputTimeline();
    for (let n = 0; n < 2000; n++) t.advance(20, n * 20);
    expect(t.wallTimeAt(100)).toBeUndefined();
    expect(t.wallTimeAt(39_990)).toBe(1999 * 20 - 10);
    t.reset();
    expect(t.wallTimeAt(10)).toBeUndefined();
  });
});

/** The timeline as first written: every chunk's start, end and time kept for the last 1024. */
function referenceWallTimeAt(
  chunks: Array<[durationMs: number, at: number]>,
  positionMs: number,
): number | undefined {
  let total = 0;
  const all = chunks.map(([d, at]) => {
    const start = total;
    total += d;
    return { start, end: total, at };
  });
  if (all.length === 0 || positionMs > total) return undefined;
  for (const c of all.slice(-1024).reverse()) if (positionMs >= c.start) return c.at - (c.end - positionMs);
  return undefined;
}

describe('InputTimeline memory', () => {
  it('starts small and grows to its window, answering as a full-size ring would', () => {
    const t = new InputTimeline();
    const chunks: Array<[number, number]> = [];
    expect(t.capacity).toBe(64);
    // Chunks of 20 ms, and now and then a longer one (a chunker's), past the window's wrap.
    for (let n = 0; n < 2500; n++) {
      const chunk: [number, number] = [n % 7 === 0 ? 60 : 20, 5_000 + n * 21.5];
      chunks.push(chunk);
      t.advance(...chunk);
      if (n % 97 === 0 || n === 63 || n === 64 || n === 1023 || n === 1024) {
        const total = chunks.reduce((s, [d]) => s + d, 0);
        for (const p of [0, 10, total / 3, total - 1_000, total - 25_000, total - 5, total, total + 1]) {
          expect(t.wallTimeAt(p)).toBe(referenceWallTimeAt(chunks, p));
        }
      }
    }
    expect(t.capacity).toBe(1024);
  });

  it('after a reset past the wrap, answers only for the new audio', () => {
    const t = new InputTimeline();
    for (let n = 0; n < 1500; n++) t.advance(20, n * 20);
    t.reset();
    t.advance(20, 100_000);
    t.advance(20, 100_020);
    expect(t.wallTimeAt(0)).toBe(99_980);
    expect(t.wallTimeAt(30)).toBe(100_010);
    expect(t.wallTimeAt(41)).toBeUndefined();
  });
});
