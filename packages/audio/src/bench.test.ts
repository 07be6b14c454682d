import { expect, it } from 'vitest';
import { benchmarkCodecs } from './bench.ts';

it('benchmarks the codecs and all six resampler paths', () => {
  const results = benchmarkCodecs();
  expect(results.map((r) => r.name)).toEqual([
    'mulaw decode',
    'mulaw encode',
    'alaw decode',
    'alaw encode',
    'resample 8k→16k',
    'resample 16k→8k',
    'resample 24k→8k',
    'resample 8k→24k',
    'resample 16k→24k',
    'resample 24k→16k',
  ]);
  for (const r of results) {
    // Speed (the ≥ 1000× realtime target) is checked by `npm run bench`, not by a unit test
    // that shares the CPU with other suites.
    expect(r.nsPerSample).toBeGreaterThan(0);
    expect(r.realtimeFactor).toBeGreaterThan(0);
  }
});
