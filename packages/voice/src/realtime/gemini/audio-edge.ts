/**
 * Audio conversion at the Gemini adapter's edge (protocols.md §5.1): caller audio in the
 * session's input format → PCM16 16 kHz; model audio PCM16 24 kHz → the session's output
 * format. Twilio µ-law goes through the anti-aliased polyphase resampler of
 * `@switchboard/audio`; native formats pass through untouched. One instance per connection
 * and direction (resamplers carry stream state).
 */
import { GeminiToTwilio, pcm16FromBytes, pcm16ToBytes, TwilioToGemini } from '@switchboard/audio';
import { PCMU_8K, sameFormat } from '../../audio-format.ts';
import type { AudioFormat } from '../../types.ts';

/** Session input → Gemini input (base64 PCM16 16 kHz). */
export class GeminiAudioIn {
  #convert: TwilioToGemini | null;

  constructor(format: AudioFormat) {
    this.#convert = sameFormat(format, PCMU_8K) ? new TwilioToGemini() : null;
  }

  /** Base64 in; PCM16 16 kHz samples out (empty while the resampler fills). */
  push(base64: string): Int16Array {
    const bytes = Buffer.from(base64, 'base64');
    return this.#convert ? this.#convert.push(bytes) : pcm16FromBytes(bytes);
  }

  /** Samples → the base64 `realtimeInput.audio.data` payload. */
  static encode(samples: Int16Array): string {
    return pcm16ToBytes(samples).toString('base64');
  }
}

/** Gemini output (base64 PCM16 24 kHz) → the session's output format. */
export class GeminiAudioOut {
  #convert: GeminiToTwilio | null;

  constructor(format: AudioFormat) {
    this.#convert = sameFormat(format, PCMU_8K) ? new GeminiToTwilio() : null;
  }

  push(base64: string): string {
    if (!this.#convert) return base64;
    const mulaw = this.#convert.pushBytes(Buffer.from(base64, 'base64'));
    return Buffer.from(mulaw.buffer, mulaw.byteOffset, mulaw.byteLength).toString('base64');
  }

  /** Forget filter history: the next audio belongs to a new turn (after a barge-in). */
  reset(): void {
    this.#convert?.reset();
  }
}
