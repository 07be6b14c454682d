/**
 * PCM16 helpers for the browser test call: float samples ⇄ 16-bit little-endian PCM ⇄ base64,
 * a streaming filtered resampler (used only when the browser cannot run the AudioContext at
 * 24 kHz) and a chunker that cuts the microphone stream into fixed-size frames.
 */

export { base64ToBytes, bytesToBase64, Chunker, floatToPcm16, pcm16ToFloat } from '@switchboard/shared/pcm16';

/** Root-mean-square level of a frame, 0..1 (for the microphone meter). */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Zero crossings of the low-pass kernel on each side: sharper with more, at ~2·8 taps per output. */
const ZERO_CROSSINGS = 8;
/** Kernel table resolution, entries per input sample (linear interpolation in between). */
const TABLE_STEPS = 256;

/**
 * Streaming windowed-sinc resampler for any rate pair: a Blackman-windowed low-pass at 90 % of
 * the lower Nyquist frequency, evaluated at each output instant. Downsampling a 48 kHz
 * microphone to 24 kHz therefore removes what lies above 12 kHz instead of folding it back
 * into the speech band (plain interpolation would). Used only when the browser cannot run the
 * AudioContext at 24 kHz. Adds `ZERO_CROSSINGS` output samples of delay (~0.3 ms).
 */
export class SincResampler {
  readonly #step: number;
  readonly #half: number;
  readonly #table: Float32Array;
  /** Unconsumed input, starting with the history the next output needs. */
  #buf: Float32Array;
  /** Position of the next output in `#buf`, in input samples. */
  #t: number;

  constructor(fromRate: number, toRate: number) {
    this.#step = fromRate / toRate;
    const cutoff = 0.45 * Math.min(1, toRate / fromRate); // cycles per input sample
    this.#half = Math.ceil(ZERO_CROSSINGS / (2 * cutoff));
    this.#table = new Float32Array(this.#half * TABLE_STEPS + 2);
    for (let i = 0; i < this.#table.length; i++) {
      const x = i / TABLE_STEPS;
      const u = Math.min(1, x / this.#half);
      const window = 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
      const arg = 2 * cutoff * x;
      this.#table[i] = (arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg)) * window;
    }
    // Silence before the stream, so the first output is centred on its first sample.
    this.#buf = new Float32Array(this.#half);
    this.#t = this.#half;
  }

  process(input: Float32Array): Float32Array {
    if (this.#step === 1) return input;
    const buf = new Float32Array(this.#buf.length + input.length);
    buf.set(this.#buf);
    buf.set(input, this.#buf.length);
    const half = this.#half;
    const out: number[] = [];
    let t = this.#t;
    while (Math.floor(t) + half < buf.length) {
      const centre = Math.floor(t);
      let sum = 0;
      let weights = 0;
      for (let j = centre - half + 1; j <= centre + half; j++) {
        const w = this.#kernel(Math.abs(t - j));
        sum += w * (buf[j] ?? 0);
        weights += w;
      }
      out.push(weights === 0 ? 0 : sum / weights); // unity gain at DC
      t += this.#step;
    }
    const keep = Math.max(0, Math.floor(t) - half + 1);
    this.#buf = buf.slice(keep);
    this.#t = t - keep;
    return Float32Array.from(out);
  }

  #kernel(x: number): number {
    if (x >= this.#half) return 0;
    const pos = x * TABLE_STEPS;
    const i = Math.floor(pos);
    const a = this.#table[i] ?? 0;
    return a + ((this.#table[i + 1] ?? 0) - a) * (pos - i);
  }
}
