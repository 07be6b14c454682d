/**
 * The audio formats of every leg of a call (docs/audio.md#formats), and the byte/time
 * arithmetic on them. Frames carry their format, so no code has to guess a sample rate from
 * context. The one source of these constants for the whole repository.
 */

export type AudioEncoding = 'pcmu' | 'pcma' | 'pcm16';
export type SampleRate = 8000 | 16000 | 24000;

export interface AudioFormat {
  encoding: AudioEncoding;
  sampleRate: SampleRate;
  channels: 1;
}

/** G.711 µ-law, 8 kHz mono: Twilio Media Streams both ways, OpenAI `audio/pcmu`. */
export const PCMU_8K: AudioFormat = Object.freeze({ encoding: 'pcmu', sampleRate: 8000, channels: 1 });
/** G.711 A-law, 8 kHz mono: OpenAI `audio/pcma`. */
export const PCMA_8K: AudioFormat = Object.freeze({ encoding: 'pcma', sampleRate: 8000, channels: 1 });
/** PCM16 (s16le), 16 kHz mono: Gemini Live input (`audio/pcm;rate=16000`). */
export const PCM16_16K: AudioFormat = Object.freeze({ encoding: 'pcm16', sampleRate: 16000, channels: 1 });
/**
 * PCM16 (s16le), 24 kHz mono: Gemini Live output (`audio/pcm;rate=24000`), OpenAI `audio/pcm`
 * and the dashboard's browser calls.
 */
export const PCM16_24K: AudioFormat = Object.freeze({ encoding: 'pcm16', sampleRate: 24000, channels: 1 });

export function sameFormat(a: AudioFormat, b: AudioFormat): boolean {
  return a.encoding === b.encoding && a.sampleRate === b.sampleRate && a.channels === b.channels;
}

export function formatIn(format: AudioFormat, list: readonly AudioFormat[]): boolean {
  return list.some((f) => sameFormat(f, format));
}

/** `pcmu/8000/1`: for logs and error details. */
export function describeFormat(format: AudioFormat): string {
  return `${format.encoding}/${format.sampleRate}/${format.channels}`;
}

/** Bytes per sample: G.711 codes are one byte, PCM16 is two. */
export function bytesPerSample(format: AudioFormat): 1 | 2 {
  return format.encoding === 'pcm16' ? 2 : 1;
}

/**
 * Playback duration of `byteLength` bytes, in milliseconds (may be fractional).
 * µ-law/A-law 8 kHz: `bytes / 8`; PCM16: `bytes / (2 · rate / 1000)`. Computed as
 * `bytes / (bytes per second) · 1000`, the arithmetic the call's playback accounting has
 * always used (the two orders differ in the last bit for some lengths).
 */
export function durationMs(byteLength: number, format: AudioFormat): number {
  return (byteLength / (bytesPerSample(format) * format.channels * format.sampleRate)) * 1000;
}

/**
 * Bytes holding `ms` milliseconds of audio, rounded to a whole number of samples
 * (so a PCM16 result is always even). 20 ms: 160 (µ-law), 640 (16 kHz), 960 (24 kHz).
 */
export function bytesForMs(ms: number, format: AudioFormat): number {
  return Math.round((ms * format.sampleRate) / 1000) * bytesPerSample(format);
}

/** The byte a silent sample encodes to: µ-law 0xFF, A-law 0xD5 (+8), PCM16 zero. */
export function silenceByte(encoding: AudioEncoding): number {
  if (encoding === 'pcmu') return 0xff;
  if (encoding === 'pcma') return 0xd5;
  return 0;
}

/** A frame of digital silence, 20 ms by default (160 × 0xFF for Twilio). */
export function silenceFrame(format: AudioFormat, ms = 20): Uint8Array {
  return new Uint8Array(bytesForMs(ms, format)).fill(silenceByte(format.encoding));
}

/** Decoded byte length of a base64 string (standard alphabet, `=` padding), without decoding it. */
export function base64ByteLength(base64: string): number {
  const len = base64.length;
  if (len === 0) return 0;
  let padding = 0;
  if (base64.charCodeAt(len - 1) === 61 /* = */) padding++;
  if (len > 1 && base64.charCodeAt(len - 2) === 61) padding++;
  return Math.floor((len * 3) / 4) - padding;
}

/** Playback duration in ms (fractional) of a base64 payload, computed from its length only. */
export function base64DurationMs(base64: string, format: AudioFormat): number {
  return durationMs(base64ByteLength(base64), format);
}
