import { bytesPerMs } from './audio-io.ts';
import type { AudioFormat, TurnDetection } from './config.ts';
import { EnergyVad, type VadEvent, type VadTuning } from './vad.ts';

/**
 * The session's input audio: the whole appended timeline (for `audio_start_ms`/`audio_end_ms`
 * and usage), the uncommitted buffer (for `commit`), and the VAD watching it.
 */
export class InputBuffer {
  #format: AudioFormat = { type: 'audio/pcm', rate: 24000 };
  #td: TurnDetection | null = null;
  #tuning: VadTuning;
  #keep: boolean;
  #chunks: Buffer[] = [];
  #totalBytes = 0;
  #bufferBytes = 0;
  #sinceResponseBytes = 0;
  vad: EnergyVad | null = null;

  constructor(tuning: VadTuning, keepAudio: boolean) {
    this.#tuning = tuning;
    this.#keep = keepAudio;
  }

  /** Apply the session's input format and turn detection (re-creates the VAD when they change). */
  configure(format: AudioFormat, td: TurnDetection | null): void {
    if (
      JSON.stringify(format) === JSON.stringify(this.#format) &&
      JSON.stringify(td) === JSON.stringify(this.#td)
    ) {
      return;
    }
    this.#format = format;
    this.#td = td;
    this.vad = td ? new EnergyVad(format, td, this.#tuning) : null;
    this.vad?.seek(this.totalMs);
  }

  append(bytes: Buffer): VadEvent[] {
    this.#totalBytes += bytes.length;
    this.#bufferBytes += bytes.length;
    this.#sinceResponseBytes += bytes.length;
    if (this.#keep) this.#chunks.push(bytes);
    return this.vad ? this.vad.push(bytes) : [];
  }

  /** Empty the uncommitted buffer (after commit/clear). */
  reset(): void {
    this.#bufferBytes = 0;
  }

  /** Input audio since the last response started (ms; for usage). Resets the counter. */
  takeSinceResponseMs(): number {
    const ms = this.#sinceResponseBytes / bytesPerMs(this.#format);
    this.#sinceResponseBytes = 0;
    return ms;
  }

  get totalMs(): number {
    return this.#totalBytes / bytesPerMs(this.#format);
  }

  get bufferMs(): number {
    return this.#bufferBytes / bytesPerMs(this.#format);
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  /** Every appended byte, in order (empty when `keepInputAudio` is off). */
  audio(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}
