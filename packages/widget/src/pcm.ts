/**
 * PCM16 helpers for the widget's voice channel (the same wire format as the dashboard's test
 * call, apps/web/src/lib/pcm.ts): float ⇄ 16-bit little-endian PCM ⇄ base64, a linear
 * resampler for microphones the AudioContext cannot run at 24 kHz, and fixed-size framing.
 */
export const RATE = 24_000;

export { base64ToBytes, bytesToBase64, Chunker, floatToPcm16, pcm16ToFloat } from '@switchboard/shared/pcm16';

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
