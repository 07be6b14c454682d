/**
 * Audio conversion at the Gemini adapter's edge (docs/audio.md#pipelines): caller audio in the
 * session's input format → PCM16 16 kHz; model audio PCM16 24 kHz → the session's output
 * format. Any mono G.711 (µ-law, A-law) 8 kHz or PCM16 8/16/24 kHz stream is accepted: G.711 is
 * decoded, and rates are changed through the anti-aliased polyphase `Resampler` of
 * `@switchboard/audio`; native formats (PCM16 16 kHz in, PCM16 24 kHz out) pass through
 * untouched. One instance per connection and direction (resamplers carry stream state).
 */
import {
  alawDecode,
  alawEncode,
  mulawDecode,
  mulawEncode,
  Pcm16ChunkReader,
  pcm16ToBytes,
  Resampler,
  type SampleRate,
} from '@switchboard/audio';
import type { AudioFormat } from '../../types.ts';

/** Gemini Live's own rates. */
const GEMINI_IN_RATE = 16000;
const GEMINI_OUT_RATE = 24000;

/** True when the edge can convert `format` (mono G.711 8 kHz, or mono PCM16 8/16/24 kHz). */
export function convertibleFormat(format: AudioFormat): boolean {
  if (format.channels !== 1) return false;
  if (format.encoding === 'pcmu' || format.encoding === 'pcma') return format.sampleRate === 8000;
  return format.encoding === 'pcm16' && [8000, 16000, 24000].includes(format.sampleRate);
}

function resamplerFor(from: number, to: number): Resampler | null {
  return from === to ? null : new Resampler(from as SampleRate, to as SampleRate);
}

/** Session input → Gemini input (base64 PCM16 16 kHz). */
export class GeminiAudioIn {
  #encoding: AudioFormat['encoding'];
  #bytes = new Pcm16ChunkReader();
  #resampler: Resampler | null;

  constructor(format: AudioFormat) {
    if (!convertibleFormat(format)) throw new RangeError('gemini: unsupported input format');
    this.#encoding = format.encoding;
    this.#resampler = resamplerFor(format.sampleRate, GEMINI_IN_RATE);
  }

  /** Base64 in; PCM16 16 kHz samples out (empty while the resampler fills). */
  push(base64: string): Int16Array {
    const bytes = Buffer.from(base64, 'base64');
    const samples =
      this.#encoding === 'pcmu'
        ? mulawDecode(bytes)
        : this.#encoding === 'pcma'
          ? alawDecode(bytes)
          : this.#bytes.samples(bytes);
    return this.#resampler ? this.#resampler.process(samples) : samples;
  }

  /** Samples → the base64 `realtimeInput.audio.data` payload. */
  static encode(samples: Int16Array): string {
    return pcm16ToBytes(samples).toString('base64');
  }
}

/** Gemini output (base64 PCM16 24 kHz) → the session's output format. */
export class GeminiAudioOut {
  #encoding: AudioFormat['encoding'];
  #bytes = new Pcm16ChunkReader();
  #resampler: Resampler | null;

  constructor(format: AudioFormat) {
    if (!convertibleFormat(format)) throw new RangeError('gemini: unsupported output format');
    this.#encoding = format.encoding;
    this.#resampler = resamplerFor(GEMINI_OUT_RATE, format.sampleRate);
  }

  /** Base64 PCM16 24 kHz in, base64 in the session's format out ('' while the resampler fills). */
  push(base64: string): string {
    if (!this.#resampler && this.#encoding === 'pcm16') return base64;
    const pcm = this.#bytes.samples(Buffer.from(base64, 'base64'));
    const out = this.#resampler ? this.#resampler.process(pcm) : pcm;
    const encoded =
      this.#encoding === 'pcmu'
        ? mulawEncode(out)
        : this.#encoding === 'pcma'
          ? alawEncode(out)
          : pcm16ToBytes(out);
    return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength).toString('base64');
  }

  /** Forget filter history: the next audio belongs to a new turn (after a barge-in). */
  reset(): void {
    this.#resampler?.reset();
    this.#bytes.reset();
  }
}
