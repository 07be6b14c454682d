/**
 * Inner loops of the polyphase resampler, exploiting the symmetry of the linear-phase
 * prototype. With `x = work[base ..]`, `T` taps per branch and `H = T / 2`:
 *
 * - branch `p` and its mirror `q = L − 1 − p` have reversed coefficients, so when both are
 *   due at the same input position (every output of ↑2, ↑3, and 16k→24k),
 *   `y_p ± y_q = Σ_{j<H} (c_p[j] ± c_p[T−1−j]) · (x[j] ± x[T−1−j])`: two outputs for T
 *   multiply-adds instead of 2T;
 * - a branch that is its own mirror (the only branch of ↓2/↓3, the middle one of ↑3) folds
 *   to H multiply-adds.
 *
 * Everything else (24k→16k, whose two branches are never due together) uses the plain dot
 * product. Each output is always computed by the same kernel from the same inputs, so the
 * results do not depend on how the stream was chunked.
 */

/** Kernel kinds for a group of outputs due at one input position. */
export const PLAIN = 0; // one output, T multiply-adds
export const FOLD = 1; // one output from a self-mirrored branch, H multiply-adds
export const PAIR = 2; // branch p then its mirror, T multiply-adds for both
export const PAIR_FOLD = 3; // ↑3: branch 0, middle branch (folded), branch 2

export interface PolyphaseTables {
  /** `plain[p·T + j]`: branch p, reversed so it runs forward with the input. */
  plain: Float64Array;
  /** `even[p·H + j] = (c_p[j] + c_p[T−1−j]) / 2`. */
  even: Float64Array;
  /** `odd[p·H + j] = (c_p[j] − c_p[T−1−j]) / 2`. */
  odd: Float64Array;
}

export function foldTables(plain: Float64Array, phases: number, taps: number): PolyphaseTables {
  const half = taps >> 1;
  const even = new Float64Array(phases * half);
  const odd = new Float64Array(phases * half);
  for (let p = 0; p < phases; p++) {
    for (let j = 0; j < half; j++) {
      const a = plain[p * taps + j]!;
      const b = plain[p * taps + taps - 1 - j]!;
      even[p * half + j] = (a + b) / 2;
      odd[p * half + j] = (a - b) / 2;
    }
  }
  return { plain, even, odd };
}

/**
 * For each branch that starts a group, the kernel kind (or -1 if no group starts there).
 * Outputs sit at upsampled times 0, M, 2M, …; those with the same `⌊t / L⌋` read the same
 * inputs and form a group. The pattern repeats every L outputs.
 */
export function groupKinds(up: number, down: number): Int8Array {
  const kinds = new Int8Array(up).fill(-1);
  for (let t = 0; t < up * down; ) {
    const base = Math.floor(t / up);
    const phases: number[] = [];
    for (; t < up * down && Math.floor(t / up) === base; t += down) phases.push(t % up);
    const first = phases[0]!;
    const mirror = (p: number) => up - 1 - p;
    let kind = PLAIN;
    if (phases.length === 1 && mirror(first) === first) kind = FOLD;
    else if (phases.length === 2 && phases[1] === mirror(first)) kind = PAIR;
    else if (phases.length === 3 && up === 3) kind = PAIR_FOLD;
    else if (phases.length > 1) throw new Error(`no kernel for branches ${phases.join(',')}`);
    kinds[first] = kind;
  }
  return kinds;
}

/** Outputs a group of this kind produces. */
export function groupSize(kind: number): number {
  return kind === PAIR ? 2 : kind === PAIR_FOLD ? 3 : 1;
}

export function dotPlain(c: Float64Array, off: number, x: Float64Array, base: number, taps: number): number {
  let a0 = 0;
  let a1 = 0;
  for (let j = 0; j < taps; j += 2) {
    a0 += c[off + j]! * x[base + j]!;
    a1 += c[off + j + 1]! * x[base + j + 1]!;
  }
  return a0 + a1;
}

export function dotFold(e: Float64Array, off: number, x: Float64Array, base: number, taps: number): number {
  const last = base + taps - 1;
  const half = taps >> 1;
  let a0 = 0;
  let a1 = 0;
  let j = 0;
  // Two accumulators: independent add chains keep the FPU busy.
  for (; j + 1 < half; j += 2) {
    a0 += e[off + j]! * (x[base + j]! + x[last - j]!);
    a1 += e[off + j + 1]! * (x[base + j + 1]! + x[last - j - 1]!);
  }
  if (j < half) a0 += e[off + j]! * (x[base + j]! + x[last - j]!);
  a0 += a1;
  // For a self-mirrored branch `even[j]` is just c[j], so this is the full dot product.
  return a0;
}

/** Scratch for the multi-output kernels' results (avoids allocating a tuple per group). */
export const groupOut = new Float64Array(3);

export function dotPair(
  e: Float64Array,
  o: Float64Array,
  off: number,
  x: Float64Array,
  base: number,
  taps: number,
): void {
  const last = base + taps - 1;
  const half = taps >> 1;
  let sum = 0;
  let diff = 0;
  for (let j = 0; j < half; j++) {
    const a = x[base + j]!;
    const b = x[last - j]!;
    sum += e[off + j]! * (a + b);
    diff += o[off + j]! * (a - b);
  }
  groupOut[0] = sum + diff;
  groupOut[1] = sum - diff;
}

/**
 * ↑3: branches 0 and 2 as a pair (offset 0 in the folded tables) and the self-mirrored
 * middle branch (offset H) in one pass, so each input pair is loaded once for three outputs.
 * Results in `groupOut[0..2]`, in output order.
 */
export function dotPairFold(
  e: Float64Array,
  o: Float64Array,
  x: Float64Array,
  base: number,
  taps: number,
): void {
  const last = base + taps - 1;
  const half = taps >> 1;
  let sum = 0;
  let diff = 0;
  let mid = 0;
  for (let j = 0; j < half; j++) {
    const a = x[base + j]!;
    const b = x[last - j]!;
    const s = a + b;
    sum += e[j]! * s;
    diff += o[j]! * (a - b);
    mid += e[half + j]! * s;
  }
  groupOut[0] = sum + diff;
  groupOut[1] = mid;
  groupOut[2] = sum - diff;
}

/** Round to the nearest int16, saturating. */
export function toInt16(v: number): number {
  return Math.min(32767, Math.max(-32768, Math.round(v)));
}
