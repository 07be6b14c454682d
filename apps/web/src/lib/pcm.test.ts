import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  Chunker,
  floatToPcm16,
  pcm16ToFloat,
  rms,
  SincResampler,
} from './pcm.ts';

describe('PCM16 helpers', () => {
  it('converts float samples to little-endian PCM16 and back', () => {
    const bytes = floatToPcm16(Float32Array.from([0, 1, -1, 0.5, 2]));
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0, 0, 0xff, 0x7f, 0x00, 0x80]);
    const back = pcm16ToFloat(bytes);
    expect(back[1]).toBe(1);
    expect(back[2]).toBe(-1);
    expect(back[3]).toBeCloseTo(0.5, 3);
    expect(back[4]).toBe(1); // clipped
  });
  it('round-trips base64', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(bytesToBase64(Uint8Array.from([1, 2, 3]))).toBe('AQID');
  });
  it('measures level', () => {
    expect(rms(new Float32Array(10))).toBe(0);
    expect(rms(Float32Array.from([0.5, -0.5]))).toBeCloseTo(0.5);
  });
  it('cuts a stream into fixed frames', () => {
    const chunker = new Chunker(4);
    expect(chunker.push(Float32Array.from([1, 2, 3]))).toEqual([]);
    const frames = chunker.push(Float32Array.from([4, 5, 6, 7, 8, 9]));
    expect(frames.map((f) => Array.from(f))).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
  });
  it('resamples a stream in blocks exactly as in one piece', () => {
    const input = tone(1000, 48_000, 4800);
    const whole = new SincResampler(48_000, 24_000).process(input);
    const r = new SincResampler(48_000, 24_000);
    const cuts = [0, 128, 1000, 1001, 3333, 4800];
    const blocks = Float32Array.from(
      cuts.slice(1).flatMap((end, i) => [...r.process(input.subarray(cuts[i], end))]),
    );
    expect(blocks.length).toBe(whole.length);
    blocks.forEach((v, i) => {
      expect(v).toBeCloseTo(whole[i] ?? Number.NaN, 5);
    });
    const same = new SincResampler(24_000, 24_000);
    expect(Array.from(same.process(Float32Array.from([1, 2])))).toEqual([1, 2]);
  });
  it('keeps speech and removes what 24 kHz cannot hold instead of folding it back', () => {
    for (const from of [48_000, 44_100]) {
      const speech = new SincResampler(from, 24_000).process(tone(1000, from, from));
      expect(speech.length).toBeGreaterThan(23_900);
      expect(levelDb(speech.subarray(480), 24_000, 1000)).toBeGreaterThan(-7); // a −6 dB tone
      // 18 kHz is above 12 kHz: plain decimation of 48 kHz would put it at 6 kHz.
      const high = new SincResampler(from, 24_000).process(tone(18_000, from, from));
      expect(levelDb(high.subarray(480), 24_000, 24_000 - 18_000)).toBeLessThan(-60);
    }
  });
});

/** A half-scale sine (−6 dBFS). */
function tone(hz: number, rate: number, length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
}

/** Level of one frequency in dBFS (Hann-windowed single-bin DFT). */
function levelDb(samples: Float32Array, rate: number, hz: number): number {
  let re = 0;
  let im = 0;
  let windowSum = 0;
  samples.forEach((s, i) => {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / samples.length);
    const phase = (2 * Math.PI * hz * i) / rate;
    re += w * s * Math.cos(phase);
    im += w * s * Math.sin(phase);
    windowSum += w;
  });
  return 20 * Math.log10((2 * Math.hypot(re, im)) / windowSum);
}
