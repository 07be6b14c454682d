import { describe, expect, it } from 'vitest';
import { besselI0, designLowPass, kaiserBeta, polyphaseTable } from './filter-design.ts';
import { FOLD, groupKinds, PAIR, PAIR_FOLD, PLAIN } from './polyphase.ts';

describe('filter design', () => {
  it('computes I0 and Kaiser β', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520082, 12);
    expect(kaiserBeta(80)).toBeCloseTo(7.857, 3);
    expect(kaiserBeta(10)).toBe(0);
  });

  it('designs an exactly symmetric low-pass with unit DC gain', () => {
    const h = designLowPass({ length: 48, cutoff: 1 / 6, beta: 7.857 });
    for (let n = 0; n < 48; n++) expect(h[n]).toBe(h[47 - n]);
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('splits into reversed branches with unit DC gain each', () => {
    const h = designLowPass({ length: 96, cutoff: 0.25, beta: 7.857 });
    const table = polyphaseTable(h, 2, 48);
    for (const p of [0, 1]) {
      expect(table.subarray(p * 48, p * 48 + 48).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    // Branch 1 is branch 0 reversed (mirror symmetry of the prototype).
    for (let j = 0; j < 48; j++) expect(table[48 + j]).toBeCloseTo(table[47 - j]!, 15);
  });

  it('picks a kernel for each group of outputs', () => {
    expect(Array.from(groupKinds(2, 1))).toEqual([PAIR, -1]); // 8→16
    expect(Array.from(groupKinds(1, 3))).toEqual([FOLD]); // 24→8
    expect(Array.from(groupKinds(3, 1))).toEqual([PAIR_FOLD, -1, -1]); // 8→24
    expect(Array.from(groupKinds(3, 2))).toEqual([PAIR, FOLD, -1]); // 16→24
    expect(Array.from(groupKinds(2, 3))).toEqual([PLAIN, PLAIN]); // 24→16
  });
});
