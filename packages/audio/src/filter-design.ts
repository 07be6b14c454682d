/**
 * Windowed-sinc (Kaiser) low-pass design for the polyphase resampler.
 *
 * The prototype filter runs at the upsampled rate `L · fromRate` with `L · tapsPerPhase`
 * taps. It is cut off at the Nyquist frequency of the *lower* of the two rates, which is
 * the classic anti-alias criterion: whatever folds back lands in the transition band
 * (above the passband edge), never in the passband, at full stopband attenuation.
 */

/** Zeroth-order modified Bessel function of the first kind (power series). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's empirical β for a stopband attenuation of `attenuationDb` (> 21 dB). */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

export interface LowPassSpec {
  /** Number of taps. */
  length: number;
  /** -6 dB cutoff as a fraction of the filter's sample rate (0 < cutoff < 0.5). */
  cutoff: number;
  /** Kaiser window β. */
  beta: number;
}

/** Linear-phase windowed-sinc low-pass with unit DC gain; delay `(length − 1) / 2` samples. */
export function designLowPass({ length, cutoff, beta }: LowPassSpec): Float64Array {
  const h = new Float64Array(length);
  const centre = (length - 1) / 2;
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < length; n++) {
    // Mirror the first half so the taps are exactly symmetric: the resampler's folded
    // kernels rely on h[n] === h[length − 1 − n].
    const m = Math.min(n, length - 1 - n);
    const x = m - centre;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const r = centre === 0 ? 0 : x / centre;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    h[n] = sinc * w;
    sum += h[n]!;
  }
  for (let n = 0; n < length; n++) h[n] = h[n]! / sum;
  return h;
}

/**
 * Split a prototype into `phases` sub-filters of `tapsPerPhase` taps, each reversed so the
 * inner loop walks coefficients and input forward together, and each normalised to unit
 * DC gain. Per-phase normalisation stops phase-to-phase gain ripple, which would otherwise
 * modulate a DC offset into a faint tone at the input rate.
 *
 * Layout: `table[p * tapsPerPhase + j] = h[p + (tapsPerPhase − 1 − j) · phases]`.
 */
export function polyphaseTable(h: Float64Array, phases: number, tapsPerPhase: number): Float64Array {
  const table = new Float64Array(phases * tapsPerPhase);
  for (let p = 0; p < phases; p++) {
    let sum = 0;
    for (let j = 0; j < tapsPerPhase; j++) {
      const v = h[p + (tapsPerPhase - 1 - j) * phases] ?? 0;
      table[p * tapsPerPhase + j] = v;
      sum += v;
    }
    for (let j = 0; j < tapsPerPhase; j++) table[p * tapsPerPhase + j] = table[p * tapsPerPhase + j]! / sum;
  }
  return table;
}
