/**
 * The energy VAD both model fakes stand on: 20 ms frames on the input-audio timeline (ms =
 * bytes ÷ bytes per ms), so it behaves the same whether audio arrives paced or in bursts.
 * It reports neutral transitions; each fake turns them into its own protocol's events (which
 * differ in what they carry and how prefix padding applies).
 */

export const VAD_FRAME_MS = 20;

/** A speech transition on the input timeline, ms. */
export type EnergyVadTransition =
  | { type: 'start'; atMs: number; onsetMs: number }
  | { type: 'stop'; onsetMs: number; endMs: number };

export interface EnergyVadOptions {
  /** Bytes in one 20 ms frame of the input format. */
  frameBytes: number;
  /** RMS (16-bit linear scale) of `data[start, end)`. */
  rms(data: Buffer, start: number, end: number): number;
  /** RMS at or above which a frame counts as voiced. */
  threshold: number;
  /** Voiced audio needed before speech starts, ms. */
  minSpeechMs: number;
  /** Silence that ends speech, ms. */
  silenceMs: number;
}

export class EnergyVadCore {
  #options: EnergyVadOptions;
  #carry: Buffer = Buffer.alloc(0);
  #posMs = 0;
  #voicedMs = 0;
  #silentMs = 0;
  #onsetMs = 0;
  #lastVoicedEndMs = 0;
  #inSpeech = false;

  constructor(options: EnergyVadOptions) {
    this.#options = options;
  }

  get inSpeech(): boolean {
    return this.#inSpeech;
  }

  get positionMs(): number {
    return this.#posMs;
  }

  /** Start the timeline at `ms` (when VAD is switched on mid-session). */
  seek(ms: number): void {
    this.#posMs = ms;
  }

  /** Feed input audio; returns the transitions it caused, in order. */
  push(bytes: Buffer): EnergyVadTransition[] {
    const { frameBytes, rms, threshold } = this.#options;
    const data = this.#carry.length > 0 ? Buffer.concat([this.#carry, bytes]) : bytes;
    const events: EnergyVadTransition[] = [];
    let off = 0;
    for (; off + frameBytes <= data.length; off += frameBytes) {
      this.#frame(rms(data, off, off + frameBytes) >= threshold, events);
      this.#posMs += VAD_FRAME_MS;
    }
    this.#carry = off < data.length ? Buffer.from(data.subarray(off)) : Buffer.alloc(0);
    return events;
  }

  /** Speech starts now, whatever the audio says (test control, explicit activity signals). */
  forceStart(): EnergyVadTransition {
    this.#inSpeech = true;
    this.#silentMs = 0;
    this.#onsetMs = this.#posMs;
    this.#lastVoicedEndMs = this.#posMs;
    return { type: 'start', atMs: this.#posMs, onsetMs: this.#posMs };
  }

  /** Speech ends now (test control, explicit activity signals). */
  forceStop(): EnergyVadTransition {
    this.#inSpeech = false;
    this.#voicedMs = 0;
    return { type: 'stop', onsetMs: this.#onsetMs, endMs: this.#posMs };
  }

  #frame(voiced: boolean, events: EnergyVadTransition[]): void {
    if (!this.#inSpeech) {
      if (!voiced) {
        this.#voicedMs = 0;
        return;
      }
      if (this.#voicedMs === 0) this.#onsetMs = this.#posMs;
      this.#voicedMs += VAD_FRAME_MS;
      if (this.#voicedMs >= this.#options.minSpeechMs) {
        this.#inSpeech = true;
        this.#silentMs = 0;
        this.#lastVoicedEndMs = this.#posMs + VAD_FRAME_MS;
        events.push({ type: 'start', atMs: this.#posMs, onsetMs: this.#onsetMs });
      }
      return;
    }
    if (voiced) {
      this.#silentMs = 0;
      this.#lastVoicedEndMs = this.#posMs + VAD_FRAME_MS;
      return;
    }
    this.#silentMs += VAD_FRAME_MS;
    if (this.#silentMs >= this.#options.silenceMs) {
      this.#inSpeech = false;
      this.#voicedMs = 0;
      events.push({ type: 'stop', onsetMs: this.#onsetMs, endMs: this.#lastVoicedEndMs });
    }
  }
}
