/**
 * Streaming polyphase resampler for the integer ratios between 8, 16 and 24 kHz.
 *
 * Conceptually: upsample by L (zero-stuff), low-pass with a Kaiser-windowed sinc, keep
 * every M-th sample. The polyphase form computes only the kept outputs, so the cost is
 * `tapsPerPhase` multiply-adds per *output* sample, roughly halved again by the symmetry
 * of the linear-phase filter (polyphase.ts).
 *
 * Streaming: the last `tapsPerPhase − 1` input samples and the output phase are carried
 * between calls, and every output is computed from the same inputs in the same order
 * whatever the chunking, so chunked output equals one-shot output bit for bit.
 */

import { designLowPass, kaiserBeta, polyphaseTable } from './filter-design.ts';
import type { SampleRate } from './format.ts';
import {
  dotFold,
  dotPair,
  dotPairFold,
  dotPlain,
  FOLD,
  foldTables,
  groupKinds,
  groupOut,
  groupSize,
  PAIR,
  PAIR_FOLD,
  type PolyphaseTables,
  toInt16,
} from './polyphase.ts';

export interface ResamplerOptions {
  /**
   * Taps per polyphase branch (multiply-adds per output sample before symmetry folding).
   * Default 48; even, 8–256. At 48, 24k→8k rejects a 5.5 kHz tone's alias by > 90 dB
   * and loses < 0.1 dB at 3 kHz (0.8 dB at 3.4 kHz). At 32 the same alias is only ~40 dB
   * down with this design (cut-off at the lower Nyquist), so keep ≥ 48 for 24k→8k.
   */
  tapsPerPhase?: number;
}

export const DEFAULT_TAPS_PER_PHASE = 48;
/** Stopband target for the Kaiser β; the taps then decide the transition width. */
const STOPBAND_DB = 80;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Coefficient tables are read-only, so every resampler with the same rates and taps shares
 * one set: a process carrying 100+ calls (two resamplers each) designs each filter once.
 */
const tableCache = new Map<string, PolyphaseTables>();

function tablesFor(fromRate: number, toRate: number, up: number, taps: number): PolyphaseTables {
  const key = `${fromRate}>${toRate}/${taps}`;
  let tables = tableCache.get(key);
  if (!tables) {
    // Cut off at the lower Nyquist frequency, expressed at the upsampled rate.
    const cutoff = Math.min(fromRate, toRate) / 2 / (fromRate * up);
    const prototype = designLowPass({ length: up * taps, cutoff, beta: kaiserBeta(STOPBAND_DB) });
    tables = foldTables(polyphaseTable(prototype, up, taps), up, taps);
    tableCache.set(key, tables);
  }
  return tables;
}

export class Resampler {
  readonly fromRate: SampleRate;
  readonly toRate: SampleRate;
  /** Upsampling factor L and downsampling factor M (ratio = L / M, reduced). */
  readonly up: number;
  readonly down: number;
  readonly tapsPerPhase: number;
  /**
   * Group delay added, in samples at the *output* rate: `(L · taps − 1) / (2 · M)`; may be
   * fractional. Defaults: 8→16 47.5 (2.97 ms), 16→8 11.75 (1.47 ms), 24→8 7.83 (0.98 ms),
   * 8→24 71.5 (2.98 ms), 16→24 35.75 (1.49 ms), 24→16 15.83 (0.99 ms). 0 when rates match.
   */
  readonly latencySamples: number;

  /** Polyphase coefficients, plain and folded (see polyphase.ts). */
  #tables: PolyphaseTables;
  /** Kernel kind for the group of outputs starting at each branch. */
  #kinds: Int8Array;
  /** `tapsPerPhase − 1` samples of history followed by the current chunk. */
  #work: Float64Array;
  /** Position of the next output on the upsampled time axis, relative to the chunk start. */
  #t = 0;

  constructor(fromRate: SampleRate, toRate: SampleRate, options: ResamplerOptions = {}) {
    for (const rate of [fromRate, toRate]) {
      // Guards untyped callers: the kernels only cover the ratios among these rates.
      if (rate !== 8000 && rate !== 16000 && rate !== 24000) {
        throw new RangeError(`sample rate must be 8000, 16000 or 24000, got ${rate}`);
      }
    }
    const taps = options.tapsPerPhase ?? DEFAULT_TAPS_PER_PHASE;
    // Even, so every branch splits into two mirrored halves (see polyphase.ts).
    if (!Number.isInteger(taps) || taps < 8 || taps > 256 || taps % 2 !== 0) {
      throw new RangeError(`tapsPerPhase must be an even integer in 8..256, got ${taps}`);
    }
    const g = gcd(fromRate, toRate);
    this.fromRate = fromRate;
    this.toRate = toRate;
    this.up = toRate / g;
    this.down = fromRate / g;
    this.tapsPerPhase = fromRate === toRate ? 1 : taps;
    const length = this.up * this.tapsPerPhase;
    this.latencySamples = fromRate === toRate ? 0 : (length - 1) / (2 * this.down);
    this.#tables = tablesFor(fromRate, toRate, this.up, this.tapsPerPhase);
    this.#kinds = groupKinds(this.up, this.down);
    this.#work = new Float64Array(this.tapsPerPhase - 1 + 960);
  }

  /** Group delay in milliseconds. */
  get latencyMs(): number {
    return (this.latencySamples * 1000) / this.toRate;
  }

  /** How many samples the next `process` call will return for `inputLength` input samples. */
  outputLength(inputLength: number): number {
    const span = inputLength * this.up - this.#t;
    return span > 0 ? Math.ceil(span / this.down) : 0;
  }

  /**
   * Resample one chunk of a stream. Over a whole stream the output length is
   * `⌈inputLength · L / M⌉` (exactly `input × ratio` when that is whole). Pass `out`
   * (at least `outputLength(input.length)` long) to avoid allocating; the result is then
   * `out` or a subarray of it.
   */
  process(input: Int16Array, out?: Int16Array): Int16Array {
    const n = input.length;
    const count = this.outputLength(n);
    const dst = out ?? new Int16Array(count);
    if (dst.length < count) throw new RangeError(`out holds ${dst.length} samples, need ${count}`);
    if (this.up === this.down) {
      dst.set(input);
    } else {
      this.#filter(input, dst, count);
    }
    return dst.length === count ? dst : dst.subarray(0, count);
  }

  /** Forget history and phase, as if newly constructed (e.g. after a barge-in flush). */
  reset(): void {
    this.#t = 0;
    this.#work.fill(0);
  }

  #filter(input: Int16Array, dst: Int16Array, count: number): void {
    const taps = this.tapsPerPhase;
    const hist = taps - 1;
    const n = input.length;
    if (this.#work.length < hist + n) {
      const grown = new Float64Array(hist + n);
      grown.set(this.#work.subarray(0, hist));
      this.#work = grown;
    }
    const work = this.#work;
    for (let i = 0; i < n; i++) work[hist + i] = input[i]!;

    const { plain, even, odd } = this.#tables;
    const kinds = this.#kinds;
    const up = this.up;
    const down = this.down;
    const half = taps >> 1;
    let t = this.#t;
    let k = 0;
    // Output at upsampled time t = base · L + phase reads work[base .. base + taps).
    while (k < count) {
      const base = (t / up) | 0;
      const phase = t - base * up;
      const kind = kinds[phase]!;
      if (kind === FOLD) {
        dst[k++] = toInt16(dotFold(even, phase * half, work, base, taps));
      } else if (kind === PAIR) {
        dotPair(even, odd, phase * half, work, base, taps);
        dst[k++] = toInt16(groupOut[0]!);
        dst[k++] = toInt16(groupOut[1]!);
      } else if (kind === PAIR_FOLD) {
        dotPairFold(even, odd, work, base, taps);
        dst[k++] = toInt16(groupOut[0]!);
        dst[k++] = toInt16(groupOut[1]!);
        dst[k++] = toInt16(groupOut[2]!);
      } else {
        dst[k++] = toInt16(dotPlain(plain, phase * taps, work, base, taps));
      }
      t += groupSize(kind) * down;
    }
    this.#t = t - n * up;
    // Keep the last `hist` inputs (older history too when the chunk was shorter).
    work.copyWithin(0, n, n + hist);
  }
}
