import type { AudioFormat } from './types.ts';

/** G.711 µ-law, 8 kHz mono: what Twilio sends and accepts, and what OpenAI GA speaks as `audio/pcmu`. */
export const PCMU_8K: AudioFormat = Object.freeze({ encoding: 'pcmu', sampleRate: 8000, channels: 1 });
/** G.711 A-law, 8 kHz mono. */
export const PCMA_8K: AudioFormat = Object.freeze({ encoding: 'pcma', sampleRate: 8000, channels: 1 });
/** 16-bit PCM, 16 kHz mono (Gemini Live input). */
export const PCM16_16K: AudioFormat = Object.freeze({ encoding: 'pcm16', sampleRate: 16000, channels: 1 });
/** 16-bit PCM, 24 kHz mono (OpenAI `audio/pcm`, Gemini Live output). */
export const PCM16_24K: AudioFormat = Object.freeze({ encoding: 'pcm16', sampleRate: 24000, channels: 1 });

export function sameFormat(a: AudioFormat, b: AudioFormat): boolean {
  return a.encoding === b.encoding && a.sampleRate === b.sampleRate && a.channels === b.channels;
}

export function formatIn(format: AudioFormat, list: readonly AudioFormat[]): boolean {
  return list.some((f) => sameFormat(f, format));
}

export function describeFormat(format: AudioFormat): string {
  return `${format.encoding}/${format.sampleRate}/${format.channels}`;
}

/** Decoded byte length of a base64 string, without decoding it. */
export function base64ByteLength(base64: string): number {
  const len = base64.length;
  if (len === 0) return 0;
  let padding = 0;
  if (base64.charCodeAt(len - 1) === 61 /* = */) padding++;
  if (len > 1 && base64.charCodeAt(len - 2) === 61) padding++;
  return Math.floor((len * 3) / 4) - padding;
}

/** Playback duration in ms (fractional) of `byteLength` bytes of audio in `format`. */
export function bytesToMs(byteLength: number, format: AudioFormat): number {
  const bytesPerSample = format.encoding === 'pcm16' ? 2 : 1;
  return (byteLength / (bytesPerSample * format.channels * format.sampleRate)) * 1000;
}

/** Playback duration in ms (fractional) of a base64 payload, computed from its length only. */
export function base64DurationMs(base64: string, format: AudioFormat): number {
  return bytesToMs(base64ByteLength(base64), format);
}
