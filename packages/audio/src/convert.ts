/**
 * The two Gemini pipelines of protocols.md §5.1, for the Gemini adapter:
 *
 * - Twilio → Gemini: µ-law 8 kHz → PCM16 8 kHz → ↑2 → PCM16 16 kHz.
 * - Gemini → Twilio: PCM16 24 kHz → ↓3 (anti-aliased) → PCM16 8 kHz → µ-law 8 kHz.
 *
 * Offered as plain functions taking the caller's `Resampler` (one per call per direction,
 * since it carries stream state), and as one small class per direction that owns its
 * resampler and scratch buffers. Both return fresh arrays the caller may keep.
 */

import { mulawDecode, mulawEncode } from './mulaw.ts';
import { Pcm16ChunkReader } from './pcm16.ts';
import { Resampler } from './resampler.ts';

function expectRates(resampler: Resampler, from: number, to: number): void {
  if (resampler.fromRate !== from || resampler.toRate !== to) {
    throw new RangeError(`expected a ${from}→${to} Resampler, got ${resampler.fromRate}→${resampler.toRate}`);
  }
}

/** Twilio µ-law 8 kHz → Gemini input PCM16 16 kHz. `resampler` must be `new Resampler(8000, 16000)`. */
export function twilioToPcm16k(mulaw: Uint8Array, resampler: Resampler): Int16Array {
  expectRates(resampler, 8000, 16000);
  return resampler.process(mulawDecode(mulaw));
}

/** Gemini output PCM16 24 kHz → Twilio µ-law 8 kHz. `resampler` must be `new Resampler(24000, 8000)`. */
export function pcm24kToTwilio(pcm: Int16Array, resampler: Resampler): Uint8Array {
  expectRates(resampler, 24000, 8000);
  return mulawEncode(resampler.process(pcm));
}

/** Caller audio from Twilio to Gemini, one instance per call. */
export class TwilioToGemini {
  readonly #resampler = new Resampler(8000, 16000);
  #decoded = new Int16Array(160);

  /** Delay added by the resampler, in milliseconds (~3 ms). */
  get latencyMs(): number {
    return this.#resampler.latencyMs;
  }

  /** µ-law 8 kHz bytes in, PCM16 16 kHz samples out (twice as many). */
  push(mulaw: Uint8Array): Int16Array {
    if (this.#decoded.length < mulaw.length) this.#decoded = new Int16Array(mulaw.length);
    return this.#resampler.process(mulawDecode(mulaw, this.#decoded));
  }

  reset(): void {
    this.#resampler.reset();
  }
}

/** Model audio from Gemini to Twilio, one instance per call. */
export class GeminiToTwilio {
  readonly #resampler = new Resampler(24000, 8000);
  #resampled = new Int16Array(320);
  #bytes = new Pcm16ChunkReader();

  /** Delay added by the resampler, in milliseconds (~1 ms). */
  get latencyMs(): number {
    return this.#resampler.latencyMs;
  }

  /** PCM16 24 kHz samples in, µ-law 8 kHz bytes out (a third as many). */
  push(pcm: Int16Array): Uint8Array {
    const need = this.#resampler.outputLength(pcm.length);
    if (this.#resampled.length < need) this.#resampled = new Int16Array(need);
    return mulawEncode(this.#resampler.process(pcm, this.#resampled));
  }

  /**
   * Raw s16le bytes in (e.g. a base64-decoded `inlineData` chunk). An odd trailing byte
   * is kept and joined to the next chunk rather than dropped.
   */
  pushBytes(bytes: Uint8Array): Uint8Array {
    return this.push(this.#bytes.samples(bytes));
  }

  /** Forget history, e.g. when the model is interrupted and playback is cleared. */
  reset(): void {
    this.#resampler.reset();
    this.#bytes.reset();
  }
}
