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
