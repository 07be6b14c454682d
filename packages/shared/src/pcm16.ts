/**
 * PCM16 for browsers (the dashboard's test call and the website widget speak the same wire
 * format): float samples ⇄ 16-bit little-endian PCM ⇄ base64, and fixed-size framing of the
 * microphone stream. No dependencies, so the widget's bundle stays small.
 */

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
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}

export function base64ToBytes(b64: string): Uint8Array {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
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
