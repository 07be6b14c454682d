import { EnergyVadCore, type EnergyVadTransition, VAD_FRAME_MS } from '../util/energy-vad.ts';
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

/** Silence that ends a turn for `semantic_vad` (an approximation: the real one listens to meaning). */
const SEMANTIC_SILENCE_MS: Record<string, number> = { high: 250, medium: 500, auto: 500, low: 1000 };

/**
 * Energy VAD over the session's input-audio timeline (ms = bytes appended ÷ bytes per ms), so it
 * behaves the same whether audio arrives paced or in bursts. Processes 20 ms frames.
 */
export class EnergyVad {
  #core: EnergyVadCore;
  #prefixMs: number;

  constructor(format: AudioFormat, td: TurnDetection, tuning: VadTuning = {}) {
    const threshold = td.type === 'server_vad' ? td.threshold : 0.5;
    this.#core = new EnergyVadCore({
      frameBytes: VAD_FRAME_MS * bytesPerMs(format),
      rms: (data, start, end) => rmsOf(format, data, start, end),
      threshold: (tuning.rmsThreshold ?? 1000) * (threshold / 0.5),
      minSpeechMs: tuning.minSpeechMs ?? 60,
      silenceMs:
        td.type === 'server_vad' ? td.silence_duration_ms : (SEMANTIC_SILENCE_MS[td.eagerness] ?? 500),
    });
    this.#prefixMs = td.type === 'server_vad' ? td.prefix_padding_ms : 300;
  }

  get inSpeech(): boolean {
    return this.#core.inSpeech;
  }

  /** Start the timeline at `ms` (when VAD is switched on mid-session). */
  seek(ms: number): void {
    this.#core.seek(ms);
  }

  /** Feed appended audio; returns the VAD transitions it caused, in order. */
  push(bytes: Buffer): VadEvent[] {
    return this.#core.push(bytes).map((t) => this.#event(t));
  }

  /** Force a speech start now (test control); returns the event. */
  forceStart(): VadEvent {
    return this.#event(this.#core.forceStart());
  }

  /** Force the end of speech now (test control). */
  forceStop(): VadEvent {
    return this.#event(this.#core.forceStop());
  }

  /** OpenAI's start carries the padded audio start and the onset; its stop only the end. */
  #event(t: EnergyVadTransition): VadEvent {
    if (t.type === 'stop') return { type: 'stop', audioEndMs: t.endMs };
    return { type: 'start', audioStartMs: Math.max(0, t.onsetMs - this.#prefixMs), onsetMs: t.onsetMs };
  }
}
