import { EnergyVadCore, type EnergyVadTransition, VAD_FRAME_MS } from '../util/energy-vad.ts';
import { pcm16Rms } from '../util/g711.ts';
import { INPUT_BYTES_PER_MS } from './audio.ts';
import type { GeminiSetup } from './setup.ts';
import type { GeminiVadTuning } from './types.ts';

export type GeminiVadEvent =
  | { type: 'start'; atMs: number }
  | { type: 'stop'; audioStartMs: number; audioEndMs: number };

/**
 * Energy VAD over the PCM16 16 kHz input timeline (ms = bytes ÷ 32), standing in for Gemini's
 * automatic activity detection: same behaviour whether audio arrives paced or in bursts.
 */
export class GeminiEnergyVad {
  #core: EnergyVadCore;
  #prefixMs: number;

  constructor(vad: GeminiSetup['vad'], tuning: GeminiVadTuning = {}) {
    const base = tuning.rmsThreshold ?? 1000;
    this.#core = new EnergyVadCore({
      frameBytes: VAD_FRAME_MS * INPUT_BYTES_PER_MS,
      rms: pcm16Rms,
      threshold: vad.startSensitivity === 'START_SENSITIVITY_LOW' ? base * 2 : base,
      minSpeechMs: tuning.minSpeechMs ?? 60,
      silenceMs: vad.silenceDurationMs,
    });
    this.#prefixMs = vad.prefixPaddingMs;
  }

  get inSpeech(): boolean {
    return this.#core.inSpeech;
  }

  get positionMs(): number {
    return this.#core.positionMs;
  }

  push(bytes: Buffer): GeminiVadEvent[] {
    return this.#core.push(bytes).map((t) => this.#event(t));
  }

  /** Speech starts now (test control, or `activityStart`). */
  forceStart(): GeminiVadEvent {
    return this.#event(this.#core.forceStart());
  }

  /** Speech ends now (test control, `activityEnd`, `audioStreamEnd`). */
  forceStop(): GeminiVadEvent {
    return this.#event(this.#core.forceStop());
  }

  /** Gemini's start says when it was detected; prefix padding widens the stopped turn. */
  #event(t: EnergyVadTransition): GeminiVadEvent {
    if (t.type === 'start') return { type: 'start', atMs: t.atMs };
    return { type: 'stop', audioStartMs: Math.max(0, t.onsetMs - this.#prefixMs), audioEndMs: t.endMs };
  }
}
