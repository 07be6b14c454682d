import { describe, expect, it } from 'vitest';
import { StreamClock, timelinePosition } from './timeline.ts';

describe('time on a call timeline', () => {
  const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

  it('is the later of the latest event and the time since the call was answered', () => {
    expect(timelinePosition(null, null, at(5_000))).toBe(0);
    expect(timelinePosition(null, 1_200, at(5_000))).toBe(1_200);
    expect(timelinePosition(at(1_000), null, at(5_000))).toBe(4_000);
    expect(timelinePosition(at(1_000), 9_000, at(5_000))).toBe(9_000);
    // A clock behind the answer time never goes negative.
    expect(timelinePosition(at(6_000), null, at(5_000))).toBe(0);
  });

  it('runs on from where a stream was admitted', () => {
    let now = at(0);
    const clock = new StreamClock(9_000, () => now);
    expect(clock.now()).toBe(9_000);
    now = at(2_500);
    expect(clock.now()).toBe(11_500);
  });
});
