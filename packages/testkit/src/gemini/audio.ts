import { sineSamples } from '../util/g711.ts';

/** Gemini input: PCM16 16 kHz = 32 bytes/ms. Output: PCM16 24 kHz = 48 bytes/ms. */
export const INPUT_BYTES_PER_MS = 32;
export const OUTPUT_BYTES_PER_MS = 48;
export const OUTPUT_MIME = 'audio/pcm;rate=24000';

const oneSecond = new Map<number, Buffer>();

/** `durationMs` of a PCM16 24 kHz sine (30 % of full scale), tiling one cached second. */
export function tonePcm24k(hz: number, durationMs: number): Buffer {
  const rounded = Math.round(hz);
  let second = oneSecond.get(rounded);
  if (!second) {
    const samples = sineSamples(rounded, 1000, 24000, 0.3);
    second = Buffer.allocUnsafe(samples.length * 2);
    for (let i = 0; i < samples.length; i++) second.writeInt16LE(samples[i] ?? 0, i * 2);
    oneSecond.set(rounded, second);
  }
  let total = Math.round(durationMs * OUTPUT_BYTES_PER_MS);
  total -= total % 2;
  const out = Buffer.allocUnsafe(total);
  for (let off = 0; off < total; off += second.length)
    second.copy(out, off, 0, Math.min(second.length, total - off));
  return out;
}

/** Samples of little-endian PCM16 bytes (copied, so any alignment works). */
export function pcm16Samples(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}
