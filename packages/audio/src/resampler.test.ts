import { describe, expect, it } from 'vitest';
import type { SampleRate } from './format.ts';
import { Resampler } from './resampler.ts';
import { goertzelDb, tonePcm16 } from './testing/index.ts';

const PATHS: Array<[SampleRate, SampleRate]> = [
  [8000, 16000],
  [16000, 8000],
  [24000, 8000],
  [8000, 24000],
  [16000, 24000],
  [24000, 16000],
];

/** Speech-like test stream: two tones plus deterministic noise, 1 s. */
function stream(rate: SampleRate): Int16Array {
  const a = tonePcm16(440, 1000, rate, 0.4);
  const b = tonePcm16(2900, 1000, rate, 0.3);
  const out = new Int16Array(a.length);
  let seed = 7;
  for (let i = 0; i < out.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    out[i] = a[i]! + b[i]! + (seed >> 21);
  }
  return out;
}

function inChunks(r: Resampler, input: Int16Array, sizes: number[]): Int16Array {
  const parts: Int16Array[] = [];
  let total = 0;
  for (let off = 0, s = 0; off < input.length; s++) {
    const size = sizes[s % sizes.length]!;
    const part = r.process(input.subarray(off, off + size));
    parts.push(part);
    total += part.length;
    off += size;
  }
  const out = new Int16Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Gain in dB of a tone at `freq` through the path, measured at `at` in the output. */
function gainDb(from: SampleRate, to: SampleRate, freq: number, at = freq): number {
  const input = tonePcm16(freq, 1000, from, 0.9);
  const output = new Resampler(from, to).process(input);
  return goertzelDb(output, to, at) - goertzelDb(input, from, freq);
}

describe.each(PATHS)('Resampler %i → %i', (from, to) => {
  const input = stream(from);
  const oneShot = new Resampler(from, to).process(input);

  it('produces input × ratio samples over a stream', () => {
    expect(oneShot.length).toBe((input.length * to) / from);
  });

  it('gives bit-identical output in 20 ms frames', () => {
    expect(inChunks(new Resampler(from, to), input, [from / 50])).toEqual(oneShot);
  });

  it('gives bit-identical output in odd, uneven chunks (including 1 and 0 samples)', () => {
    const chunked = inChunks(new Resampler(from, to), input, [1, 7, 0, 13, 331, 2, 997, 5]);
    expect(chunked).toEqual(oneShot);
  });

  it('predicts each chunk length with outputLength()', () => {
    const r = new Resampler(from, to);
    for (const size of [1, 2, 3, 5, 160, 481]) {
      const expected = r.outputLength(size);
      expect(r.process(new Int16Array(size)).length).toBe(expected);
    }
  });

  it('writes into a caller buffer when given one', () => {
    const r = new Resampler(from, to);
    const out = new Int16Array(r.outputLength(from / 50) + 3);
    const got = r.process(input.subarray(0, from / 50), out);
    expect(got.buffer).toBe(out.buffer);
    expect(got).toEqual(oneShot.subarray(0, got.length));
    expect(() => r.process(input, new Int16Array(1))).toThrow(RangeError);
  });

  it('starts over after reset()', () => {
    const r = new Resampler(from, to);
    r.process(input.subarray(0, 101));
    r.reset();
    expect(r.process(input)).toEqual(oneShot);
  });

  it('passes 1 kHz at 0 dB (±0.5) and 3 kHz within 2 dB', () => {
    expect(Math.abs(gainDb(from, to, 1000))).toBeLessThan(0.5);
    expect(Math.abs(gainDb(from, to, 3000))).toBeLessThan(2);
  });

  it('delays a tone by latencySamples', () => {
    // A 300 Hz tone through the filter should equal the input tone shifted by the latency.
    const amp = 0.5 * 32767;
    const r = new Resampler(from, to);
    const out = r.process(tonePcm16(300, 500, from, 0.5));
    const w = (2 * Math.PI * 300) / to;
    let worst = 0;
    for (let n = 200; n < out.length; n++) {
      const ideal = amp * Math.sin(w * (n - r.latencySamples));
      worst = Math.max(worst, Math.abs(out[n]! - ideal));
    }
    expect(worst).toBeLessThan(4);
  });

  it('saturates instead of wrapping on full-scale square waves', () => {
    // 100 Hz full-scale square: the filter's Gibbs overshoot exceeds int16 on every plateau.
    const half = from / 200;
    const square = Int16Array.from({ length: from / 5 }, (_, i) =>
      Math.floor(i / half) % 2 ? -32768 : 32767,
    );
    const r = new Resampler(from, to);
    const out = r.process(square);
    const outHalf = to / 200;
    // Skip the start-up, where the filter still sees the zero history.
    for (let n = Math.ceil(2 * r.latencySamples) + 1; n < out.length; n++) {
      // Position within the half-period, after removing the filter delay.
      const pos = (n - r.latencySamples + 10 * outHalf) % outHalf;
      if (pos < outHalf * 0.25 || pos > outHalf * 0.75) continue; // near an edge
      const positive = Math.floor((n - r.latencySamples + 10 * outHalf) / outHalf) % 2 === 0;
      if (positive ? out[n]! < 30000 : out[n]! > -30000) expect.fail(`sample ${n} = ${out[n]}`);
    }
  });
});

describe('Resampler filter quality', () => {
  it('rejects the 2.5 kHz alias of a 5.5 kHz tone on 24k→8k by ≥ 60 dB', () => {
    expect(gainDb(24000, 8000, 5500, 2500)).toBeLessThan(-60);
  });

  it('rejects the alias of a 5.5 kHz tone on 16k→8k by ≥ 60 dB', () => {
    expect(gainDb(16000, 8000, 5500, 2500)).toBeLessThan(-60);
  });

  it('rejects aliases on 24k→16k (9.6 kHz → 6.4 kHz) by ≥ 60 dB', () => {
    expect(gainDb(24000, 16000, 9600, 6400)).toBeLessThan(-60);
  });

  it('rejects the 5 kHz image of a 3 kHz tone on 8k→16k by ≥ 60 dB', () => {
    expect(gainDb(8000, 16000, 3000, 5000)).toBeLessThan(-60);
  });

  it('rejects both images of a 3 kHz tone on 8k→24k (5 and 11 kHz) by ≥ 60 dB', () => {
    expect(gainDb(8000, 24000, 3000, 5000)).toBeLessThan(-60);
    expect(gainDb(8000, 24000, 3000, 11000)).toBeLessThan(-60);
  });

  it('rejects the 13 kHz image of a 3 kHz tone on 16k→24k by ≥ 60 dB', () => {
    expect(gainDb(16000, 24000, 3000, 13000)).toBeLessThan(-60);
  });

  it('keeps 3.4 kHz within 1 dB on 24k→8k (top of the telephone band)', () => {
    expect(gainDb(24000, 8000, 3400)).toBeGreaterThan(-1);
  });

  it('needs fewer taps to be worse: 16 taps cannot meet 60 dB on 24k→8k', () => {
    const input = tonePcm16(5500, 1000, 24000, 0.9);
    const out = new Resampler(24000, 8000, { tapsPerPhase: 16 }).process(input);
    expect(goertzelDb(out, 8000, 2500) - goertzelDb(input, 24000, 5500)).toBeGreaterThan(-60);
  });
});

describe('Resampler options and edge cases', () => {
  it('documents its latency at the output rate', () => {
    expect(new Resampler(24000, 8000).latencySamples).toBeCloseTo(47 / 6);
    expect(new Resampler(8000, 16000).latencySamples).toBe(47.5);
    expect(new Resampler(8000, 16000).latencyMs).toBeCloseTo(2.97, 2);
  });

  it('passes audio through unchanged when the rates match', () => {
    const r = new Resampler(16000, 16000);
    const input = stream(16000);
    expect(r.process(input)).toEqual(input);
    expect(r.latencySamples).toBe(0);
  });

  it('rejects unsupported sample rates from untyped callers', () => {
    expect(() => new Resampler(44100 as SampleRate, 8000)).toThrow(RangeError);
  });

  it('rejects odd or out-of-range tapsPerPhase', () => {
    expect(() => new Resampler(8000, 16000, { tapsPerPhase: 33 })).toThrow(RangeError);
    expect(() => new Resampler(8000, 16000, { tapsPerPhase: 4 })).toThrow(RangeError);
    expect(() => new Resampler(8000, 16000, { tapsPerPhase: 512 })).toThrow(RangeError);
  });

  it('accepts other even tap counts and stays chunk-exact', () => {
    const input = stream(24000);
    for (const taps of [10, 32, 64]) {
      const one = new Resampler(24000, 16000, { tapsPerPhase: taps }).process(input);
      const chunked = inChunks(new Resampler(24000, 16000, { tapsPerPhase: taps }), input, [479, 3]);
      expect(chunked).toEqual(one);
    }
  });
});
