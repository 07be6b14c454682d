import { bytesPerMs, rmsOf } from './audio-io.ts';
import type { AudioFormat, TurnDetection } from './config.ts';

export type VadEvent =
  | { type: 'start'; audioStartMs: number; onsetMs: number }
  | { type: 'stop'; audioEndMs: number };

export interface VadTuning {
  /** RMS (16-bit linear scale) that counts as speech at `threshold: 0.5`; scales linearly with threshold. Default 1000 (≈ −30 dBFS). */
  rmsThreshold?: number;
  /** Voiced audio needed before `speech_started` (ms, default 60). */
  minSpeechMs?: number;
}

const FRAME_MS = 20;
/** Silence that ends a turn for `semantic_vad` (an approximation: the real one listens to meaning). */
const SEMANTIC_SILENCE_MS: Record<string, number> = { high: 250, medium: 500, auto: 500, low: 1000 };

/**
 * Energy VAD over the session's input-audio timeline (ms = bytes appended ÷ bytes per ms), so it
 * behaves the same whether audio arrives paced or in bursts. Processes 20 ms frames.
 */
export class EnergyVad {
  #format: AudioFormat;
  #frameBytes: number;
  #rmsThreshold: number;
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

  constructor(format: AudioFormat, td: TurnDetection, tuning: VadTuning = {}) {
    this.#format = format;
    this.#frameBytes = FRAME_MS * bytesPerMs(format);
    const threshold = td.type === 'server_vad' ? td.threshold : 0.5;
    this.#rmsThreshold = (tuning.rmsThreshold ?? 1000) * (threshold / 0.5);
    this.#minSpeechMs = tuning.minSpeechMs ?? 60;
    this.#silenceMs =
      td.type === 'server_vad' ? td.silence_duration_ms : (SEMANTIC_SILENCE_MS[td.eagerness] ?? 500);
    this.#prefixMs = td.type === 'server_vad' ? td.prefix_padding_ms : 300;
  }

  /** Start the timeline at `ms` (when VAD is switched on mid-session). */
  seek(ms: number): void {
    this.#posMs = ms;
  }

  /** Feed appended audio; returns the VAD transitions it caused, in order. */
  push(bytes: Buffer): VadEvent[] {
    const data = this.#carry.length > 0 ? Buffer.concat([this.#carry, bytes]) : bytes;
    const events: VadEvent[] = [];
    let off = 0;
    for (; off + this.#frameBytes <= data.length; off += this.#frameBytes) {
      const voiced = rmsOf(this.#format, data, off, off + this.#frameBytes) >= this.#rmsThreshold;
      this.#frame(voiced, events);
      this.#posMs += FRAME_MS;
    }
    this.#carry = off < data.length ? Buffer.from(data.subarray(off)) : Buffer.alloc(0);
    return events;
  }

  /** Force a speech start now (test control); returns the event. */
  forceStart(): VadEvent {
    this.inSpeech = true;
    this.#silentMs = 0;
    this.#onsetMs = this.#posMs;
    this.#lastVoicedEndMs = this.#posMs;
    return { type: 'start', audioStartMs: Math.max(0, this.#posMs - this.#prefixMs), onsetMs: this.#posMs };
  }

  /** Force the end of speech now (test control). */
  forceStop(): VadEvent {
    this.inSpeech = false;
    this.#voicedMs = 0;
    return { type: 'stop', audioEndMs: this.#posMs };
  }

  #frame(voiced: boolean, events: VadEvent[]): void {
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
        events.push({
          type: 'start',
          audioStartMs: Math.max(0, this.#onsetMs - this.#prefixMs),
          onsetMs: this.#onsetMs,
        });
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
      events.push({ type: 'stop', audioEndMs: this.#lastVoicedEndMs });
    }
  }
}
