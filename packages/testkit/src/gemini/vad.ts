import { pcm16Rms } from '../util/g711.ts';
import { INPUT_BYTES_PER_MS } from './audio.ts';
import type { GeminiSetup } from './setup.ts';
import type { GeminiVadTuning } from './types.ts';

export type GeminiVadEvent =
  | { type: 'start'; atMs: number }
  | { type: 'stop'; audioStartMs: number; audioEndMs: number };

const FRAME_MS = 20;
const FRAME_BYTES = FRAME_MS * INPUT_BYTES_PER_MS;

/**
 * Energy VAD over the PCM16 16 kHz input timeline (ms = bytes ÷ 32), standing in for Gemini's
 * automatic activity detection: same behaviour whether audio arrives paced or in bursts.
 */
export class GeminiEnergyVad {
  #threshold: number;
  #minSpeechMs: number;
  #silenceMs: number;
  #prefixMs: number;
  #carry: Buffer = Buffer.alloc(0);
  #posMs = 0;
  #voicedMs = 0;
  #silentMs = 0;
  #onsetMs = 0;
  #lastVoicedEndMs = 0;
  inSpeech = false;

  constructor(vad: GeminiSetup['vad'], tuning: GeminiVadTuning = {}) {
    const base = tuning.rmsThreshold ?? 1000;
    this.#threshold = vad.startSensitivity === 'START_SENSITIVITY_LOW' ? base * 2 : base;
    this.#minSpeechMs = tuning.minSpeechMs ?? 60;
    this.#silenceMs = vad.silenceDurationMs;
    this.#prefixMs = vad.prefixPaddingMs;
  }

  get positionMs(): number {
    return this.#posMs;
  }

  push(bytes: Buffer): GeminiVadEvent[] {
    const data = this.#carry.length > 0 ? Buffer.concat([this.#carry, bytes]) : bytes;
    const events: GeminiVadEvent[] = [];
    let off = 0;
    for (; off + FRAME_BYTES <= data.length; off += FRAME_BYTES) {
      this.#frame(pcm16Rms(data, off, off + FRAME_BYTES) >= this.#threshold, events);
      this.#posMs += FRAME_MS;
    }
    this.#carry = off < data.length ? Buffer.from(data.subarray(off)) : Buffer.alloc(0);
    return events;
  }

  /** Speech starts now (test control, or `activityStart`). */
  forceStart(): GeminiVadEvent {
    this.inSpeech = true;
    this.#silentMs = 0;
    this.#onsetMs = this.#posMs;
    this.#lastVoicedEndMs = this.#posMs;
    return { type: 'start', atMs: this.#posMs };
  }

  /** Speech ends now (test control, `activityEnd`, `audioStreamEnd`). */
  forceStop(): GeminiVadEvent {
    this.inSpeech = false;
    this.#voicedMs = 0;
    return {
      type: 'stop',
      audioStartMs: Math.max(0, this.#onsetMs - this.#prefixMs),
      audioEndMs: this.#posMs,
    };
  }

  #frame(voiced: boolean, events: GeminiVadEvent[]): void {
    if (!this.inSpeech) {
      if (!voiced) {
        this.#voicedMs = 0;
        return;
      }
      if (this.#voicedMs === 0) this.#onsetMs = this.#posMs;
      this.#voicedMs += FRAME_MS;
      if (this.#voicedMs >= this.#minSpeechMs) {
        this.inSpeech = true;
        this.#silentMs = 0;
        this.#lastVoicedEndMs = this.#posMs + FRAME_MS;
        events.push({ type: 'start', atMs: this.#posMs });
      }
      return;
    }
    if (voiced) {
      this.#silentMs = 0;
      this.#lastVoicedEndMs = this.#posMs + FRAME_MS;
      return;
    }
    this.#silentMs += FRAME_MS;
    if (this.#silentMs >= this.#silenceMs) {
      this.inSpeech = false;
      this.#voicedMs = 0;
      events.push({
        type: 'stop',
        audioStartMs: Math.max(0, this.#onsetMs - this.#prefixMs),
        audioEndMs: this.#lastVoicedEndMs,
      });
    }
  }
}
