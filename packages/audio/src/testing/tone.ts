/**
 * Test helpers: sine tones and a single-bin (Goertzel) level meter.
 */

import type { SampleRate } from '../format.ts';
import { mulawEncode } from '../mulaw.ts';

const FULL_SCALE = 32768;

/**
 * A sine tone of `ms` milliseconds starting at phase 0, `round(ms · rate / 1000)` samples.
 * `amplitude` is the peak: values ≤ 1 are a fraction of full scale, values > 1 are taken
 * as an absolute int16 peak (so both `0.5` and `16384` mean −6 dBFS). Default 0.5.
 */
export function tonePcm16(freqHz: number, ms: number, sampleRate: SampleRate, amplitude = 0.5): Int16Array {
  const peak = amplitude <= 1 ? amplitude * 32767 : Math.min(amplitude, 32767);
  const n = Math.round((ms * sampleRate) / 1000);
  const out = new Int16Array(n);
  const w = (2 * Math.PI * freqHz) / sampleRate;
  for (let i = 0; i < n; i++) out[i] = Math.round(peak * Math.sin(w * i));
  return out;
}

/** A sine tone µ-law encoded at 8 kHz (Twilio's format); amplitude as in `tonePcm16`. */
export function toneMulaw(freqHz: number, ms: number, amplitude = 0.5): Uint8Array {
  return mulawEncode(tonePcm16(freqHz, ms, 8000, amplitude));
}

/**
 * Level of one frequency in dB relative to full scale: a full-scale sine (peak 32768) at
 * `freqHz` reads 0 dB, a half-scale one about −6 dB, silence −Infinity.
 *
 * Goertzel on a Hann-windowed block, for any (non-integer-bin) frequency. The window keeps
 * a loud tone elsewhere, or a filter's start-up transient, from leaking into the bin:
 * Hann side lobes fall off at 18 dB/octave, so a tone 1 kHz away in a 1 s block sits far
 * below −150 dB.
 */
export function goertzelDb(samples: Int16Array, sampleRate: number, freqHz: number): number {
  const n = samples.length;
  if (n === 0) return Number.NEGATIVE_INFINITY;
  const w = (2 * Math.PI * freqHz) / sampleRate;
  const coeff = 2 * Math.cos(w);
  const win = (2 * Math.PI) / n;
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < n; i++) {
    const hann = 0.5 - 0.5 * Math.cos(win * (i + 0.5));
    windowSum += hann;
    const s0 = hann * samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  // |X(ω)|² from the last two states; a sine of peak A gives |X| = A · Σw / 2.
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  const amplitude = (2 * Math.sqrt(Math.max(0, power))) / windowSum;
  return 20 * Math.log10(amplitude / FULL_SCALE);
}
