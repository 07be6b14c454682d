/**
 * PCM16 helpers for the widget's voice channel (the same wire format as the dashboard's test
 * call, apps/web/src/lib/pcm.ts): float ⇄ 16-bit little-endian PCM ⇄ base64, a linear
 * resampler for microphones the AudioContext cannot run at 24 kHz, and fixed-size framing.
 */
export const RATE = 24_000;

export function floatToPcm16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    view.setInt16(i * 2, s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff), true);
  }
  return out;
}

export function pcm16ToFloat(bytes: Uint8Array): Float32Array {
  const n = bytes.length >> 1;
  const out = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    const v = view.getInt16(i * 2, true);
    out[i] = v < 0 ? v / 0x8000 : v / 0x7fff;
  }
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Averaging resampler (box filter before linear interpolation when downsampling). */
export class Resampler {
  readonly #step: number;
  #pos = 0;
  #last = 0;

  constructor(from: number, to: number) {
    this.#step = from / to;
  }

  process(input: Float32Array): Float32Array {
    if (this.#step === 1) return input;
    const out: number[] = [];
    const width = Math.max(1, Math.floor(this.#step));
    while (this.#pos < input.length) {
      const i = Math.floor(this.#pos);
      let sum = 0;
      for (let k = 0; k < width; k++) sum += input[i - k] ?? this.#last;
      out.push(sum / width);
      this.#pos += this.#step;
    }
    this.#pos -= input.length;
    this.#last = input[input.length - 1] ?? 0;
    return Float32Array.from(out);
  }
}

/** Collects samples and hands out frames of exactly `size` samples. */
export class Chunker {
  readonly #size: number;
  #buf: Float32Array;
  #len = 0;

  constructor(size: number) {
    this.#size = size;
    this.#buf = new Float32Array(size);
  }

  push(samples: Float32Array): Float32Array[] {
    const frames: Float32Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.#size - this.#len, samples.length - offset);
      this.#buf.set(samples.subarray(offset, offset + take), this.#len);
      this.#len += take;
      offset += take;
      if (this.#len === this.#size) {
        frames.push(this.#buf);
        this.#buf = new Float32Array(this.#size);
        this.#len = 0;
      }
    }
    return frames;
  }
}
