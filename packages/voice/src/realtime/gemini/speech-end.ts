/**
 * A local end-of-speech detector on the caller's 16 kHz PCM. Gemini's activity detection is
 * server-side and invisible except for `interrupted`, but `CallSession` needs `speech_stopped`
 * to start its turn-latency clock and to know the caller is no longer talking. Barge-in still
 * follows Gemini's own decision (`interrupted`); this only reports when speech ended.
 */

const SAMPLE_RATE = 16_000;
const FRAME_SAMPLES = 320; // 20 ms

export interface SpeechEndOptions {
  /** Silence after speech that ends a caller turn, ms (the agent's `silenceDurationMs`). */
  silenceMs: number;
  /** Frame RMS (16-bit scale) counted as speech. Default 600 (≈ −35 dBFS). */
  rmsThreshold?: number;
  /** Voiced audio needed before a turn counts as speech, ms. Default 100. */
  minSpeechMs?: number;
}

export class SpeechEndDetector {
  #silenceMs: number;
  #threshold: number;
  #minSpeechMs: number;
  #carry = new Int16Array(FRAME_SAMPLES);
  #carried = 0;
  #posMs = 0;
  #voicedMs = 0;
  #silentMs = 0;
  #inSpeech = false;
  #lastVoicedEndMs = 0;

  constructor(options: SpeechEndOptions) {
    this.#silenceMs = options.silenceMs;
    this.#threshold = options.rmsThreshold ?? 600;
    this.#minSpeechMs = options.minSpeechMs ?? 100;
  }

  /** Feeds samples; returns the input-timeline ms where speech ended, or undefined. */
  push(samples: Int16Array): number | undefined {
    let ended: number | undefined;
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(FRAME_SAMPLES - this.#carried, samples.length - i);
      this.#carry.set(samples.subarray(i, i + take), this.#carried);
      this.#carried += take;
      i += take;
      if (this.#carried < FRAME_SAMPLES) break;
      this.#carried = 0;
      ended = this.#frame(rms(this.#carry) >= this.#threshold) ?? ended;
    }
    return ended;
  }

  #frame(voiced: boolean): number | undefined {
    const frameMs = (FRAME_SAMPLES * 1000) / SAMPLE_RATE;
    this.#posMs += frameMs;
    if (voiced) {
      this.#voicedMs += frameMs;
      this.#silentMs = 0;
      this.#lastVoicedEndMs = this.#posMs;
      if (this.#voicedMs >= this.#minSpeechMs) this.#inSpeech = true;
      return undefined;
    }
    if (!this.#inSpeech) {
      this.#voicedMs = 0;
      return undefined;
    }
    this.#silentMs += frameMs;
    if (this.#silentMs < this.#silenceMs) return undefined;
    this.#inSpeech = false;
    this.#voicedMs = 0;
    return this.#lastVoicedEndMs;
  }
}

function rms(frame: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const s = frame[i] ?? 0;
    sum += s * s;
  }
  return Math.sqrt(sum / frame.length);
}
