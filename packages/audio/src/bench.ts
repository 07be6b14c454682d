/**
 * Micro-benchmarks of the codecs and every resampler path, for `npm run bench`.
 * Each case runs on 1 s of a speech-band test signal in 20 ms frames (the real
 * call pattern, including per-frame overhead) for a fixed time budget.
 */

import { alawDecode, alawEncode } from './alaw.ts';
import type { SampleRate } from './format.ts';
import { mulawDecode, mulawEncode } from './mulaw.ts';
import { Resampler } from './resampler.ts';

export interface CodecBenchmark {
  name: string;
  /** Wall time per *input* sample, in nanoseconds. */
  nsPerSample: number;
  /** Seconds of audio processed per second of CPU on one core. */
  realtimeFactor: number;
}

/** Time budget per case; 8+6 cases × (budget + warm-up) stays well under 3 s. */
const BUDGET_MS = 120;
const WARMUP_MS = 30;

/** A mix of tones with some noise: exercises every µ-law segment and sign. */
function testSignal(rate: SampleRate): Int16Array {
  const out = new Int16Array(rate);
  let seed = 12345;
  for (let i = 0; i < rate; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) | 0;
    const noise = (seed >> 16) / 32768;
    const t = i / rate;
    const v = 9000 * Math.sin(2 * Math.PI * 300 * t) + 6000 * Math.sin(2 * Math.PI * 1700 * t) + 2000 * noise;
    out[i] = Math.round(v);
  }
  return out;
}

/** Run `fn` over every frame repeatedly for the budget; returns ns per sample. */
function measure(frames: number, samplesPerFrame: number, fn: (frame: number) => void): number {
  const run = (ms: number): [number, number] => {
    const start = performance.now();
    let samples = 0;
    let elapsed = 0;
    do {
      for (let f = 0; f < frames; f++) fn(f);
      samples += frames * samplesPerFrame;
      elapsed = performance.now() - start;
    } while (elapsed < ms);
    return [elapsed, samples];
  };
  run(WARMUP_MS);
  const [elapsed, samples] = run(BUDGET_MS);
  return (elapsed * 1e6) / samples;
}

function result(name: string, nsPerSample: number, rate: number): CodecBenchmark {
  // One second of audio is `rate` input samples.
  return { name, nsPerSample, realtimeFactor: 1e9 / (nsPerSample * rate) };
}

/** Benchmark µ-law and A-law in both directions and the six resampler paths. */
export function benchmarkCodecs(): CodecBenchmark[] {
  const results: CodecBenchmark[] = [];
  const pcm8k = testSignal(8000);
  const frame8k = 160;
  const frames = pcm8k.length / frame8k;
  const mulaw = mulawEncode(pcm8k);
  const alaw = alawEncode(pcm8k);
  const pcmOut = new Int16Array(frame8k);
  const byteOut = new Uint8Array(frame8k);
  const slice = <T extends Int16Array | Uint8Array>(a: T, f: number): T =>
    a.subarray(f * frame8k, (f + 1) * frame8k) as T;

  const codecCases: Array<[string, (f: number) => void]> = [
    ['mulaw decode', (f) => mulawDecode(slice(mulaw, f), pcmOut)],
    ['mulaw encode', (f) => mulawEncode(slice(pcm8k, f), byteOut)],
    ['alaw decode', (f) => alawDecode(slice(alaw, f), pcmOut)],
    ['alaw encode', (f) => alawEncode(slice(pcm8k, f), byteOut)],
  ];
  for (const [name, fn] of codecCases) results.push(result(name, measure(frames, frame8k, fn), 8000));

  const paths: Array<[SampleRate, SampleRate]> = [
    [8000, 16000],
    [16000, 8000],
    [24000, 8000],
    [8000, 24000],
    [16000, 24000],
    [24000, 16000],
  ];
  for (const [from, to] of paths) {
    const input = testSignal(from);
    const perFrame = from / 50;
    const resampler = new Resampler(from, to);
    const out = new Int16Array(resampler.outputLength(perFrame) + 1);
    const ns = measure(50, perFrame, (f) => {
      resampler.process(input.subarray(f * perFrame, (f + 1) * perFrame), out);
    });
    results.push(result(`resample ${from / 1000}k→${to / 1000}k`, ns, from));
  }
  return results;
}
