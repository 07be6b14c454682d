import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer.ts';

describe('Pacer', () => {
  it('runs slots on a fixed grid without drift', async () => {
    const times: number[] = [];
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const pacer = new Pacer(20, (slot) => {
        times.push(performance.now() - t0);
        if (slot === 24) {
          pacer.stop();
          resolve();
        }
        return true;
      });
      pacer.start(t0);
    });
    expect(times).toHaveLength(25);
    // Slot 24 is due at 480 ms; a drifting interval would be later by the sum of its lateness.
    expect(times[24]).toBeGreaterThanOrEqual(479);
    expect(times[24]).toBeLessThan(480 + 40);
  });

  it('catches up after a stall and goes idle when there is no work', async () => {
    let budget = 5;
    const slots: number[] = [];
    const pacer = new Pacer(10, (slot) => {
      if (budget === 0) return false;
      budget--;
      slots.push(slot);
      return true;
    });
    pacer.start(performance.now() - 35); // 4 slots already due
    expect(slots).toEqual([0, 1, 2, 3]);
    await new Promise((r) => setTimeout(r, 30));
    expect(slots).toEqual([0, 1, 2, 3, 4]);
    expect(pacer.running).toBe(false);
    budget = 1;
    await new Promise((r) => setTimeout(r, 40));
    pacer.resume(); // re-joins the grid at the current time: idle slots 5–7 are skipped
    await new Promise((r) => setTimeout(r, 15));
    expect(slots).toHaveLength(6);
    expect(slots.at(-1)).toBeGreaterThanOrEqual(8);
    pacer.stop();
  });
});
