/**
 * Tiny G.711 + tone helpers private to the test kit (packages/audio owns the product's codec;
 * the kit keeps its own so the fakes never depend on the code they are testing).
 * µ-law: classic CCITT/Sun reference, BIAS 0x84, CLIP 32635 (docs/audio.md#g711-reference-vectors).
 */

const BIAS = 0x84;
const CLIP = 32635;

/** Decode table: µ-law byte → linear 16-bit sample. */
export const MULAW_TO_LINEAR: Int16Array = (() => {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    const u = ~i & 0xff;
    const exponent = (u >> 4) & 0x07;
    const magnitude = (((u & 0x0f) << 3) + BIAS) << exponent;
    table[i] = u & 0x80 ? BIAS - magnitude : magnitude - BIAS;
  }
  return table;
})();

/** Decode table: A-law byte → linear 16-bit sample. */
export const ALAW_TO_LINEAR: Int16Array = (() => {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) {
    const a = i ^ 0x55;
    const seg = (a & 0x70) >> 4;
    let t = (a & 0x0f) << 4;
    if (seg === 0) t += 8;
    else if (seg === 1) t += 0x108;
    else t = (t + 0x108) << (seg - 1);
    table[i] = a & 0x80 ? t : -t;
  }
  return table;
})();

/** Encode one linear 16-bit sample to µ-law. */
export function linearToMulaw(sample: number): number {
  let s = sample | 0;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

const ALAW_SEG_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

/** Encode one linear 16-bit sample to A-law (Sun reference). */
export function linearToAlaw(sample: number): number {
  let pcm = (sample | 0) >> 3;
  let mask = 0xd5;
  if (pcm < 0) {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  let seg = 0;
  while (seg < 8 && pcm > (ALAW_SEG_END[seg] ?? 0)) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  const aval = (seg << 4) | (seg < 2 ? (pcm >> 1) & 0x0f : (pcm >> seg) & 0x0f);
  return aval ^ mask;
}

/** µ-law digital silence (0xFF), as Twilio sends between words. */
export const MULAW_SILENCE = 0xff;

/** Linear sine samples. `amplitude` is a fraction of full scale (0–1). */
export function sineSamples(hz: number, ms: number, sampleRate: number, amplitude = 0.3): Int16Array {
  const n = Math.round((ms * sampleRate) / 1000);
  const out = new Int16Array(n);
  const step = (2 * Math.PI * hz) / sampleRate;
  const peak = amplitude * 32767;
  for (let i = 0; i < n; i++) out[i] = Math.round(Math.sin(i * step) * peak);
  return out;
}

/** A µ-law 8 kHz sine tone: `ms × 8` bytes. */
export function mulawTone(hz: number, ms: number, amplitude = 0.3): Buffer {
  const samples = sineSamples(hz, ms, 8000, amplitude);
  const out = Buffer.allocUnsafe(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToMulaw(samples[i] ?? 0);
  return out;
}

/** `ms` of µ-law silence. */
export function mulawSilence(ms: number): Buffer {
  return Buffer.alloc(Math.round(ms * 8), MULAW_SILENCE);
}

/** Root-mean-square level of a run of linear samples taken from a G.711 buffer via `table`. */
export function g711Rms(bytes: Uint8Array, table: Int16Array, start = 0, end = bytes.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const v = table[bytes[i] ?? 0xff] ?? 0;
    sum += v * v;
  }
  return Math.sqrt(sum / (end - start));
}

/** Root-mean-square level of little-endian PCM16 bytes. */
export function pcm16Rms(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const first = start & ~1;
  const count = (end - first) >> 1;
  if (count <= 0) return 0;
  let sum = 0;
  for (let i = first; i + 1 < end; i += 2) {
    const v = (((bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8)) << 16) >> 16;
    sum += v * v;
  }
  return Math.sqrt(sum / count);
}
