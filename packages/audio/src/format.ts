/**
 * Audio formats used on the Switchboard legs. Frames carry their format so that no
 * code has to guess a sample rate from context (style.md principle 3).
 */

export type AudioEncoding = 'pcmu' | 'pcma' | 'pcm16';
export type SampleRate = 8000 | 16000 | 24000;

export interface AudioFormat {
  encoding: AudioEncoding;
  sampleRate: SampleRate;
  channels: 1;
}

/** Twilio Media Streams, both directions: G.711 µ-law, 8 kHz, mono, no header. */
export const TWILIO_FORMAT: AudioFormat = Object.freeze({ encoding: 'pcmu', sampleRate: 8000, channels: 1 });
/** Gemini Live `realtimeInput.audio`: s16le, 16 kHz (`audio/pcm;rate=16000`). */
export const GEMINI_INPUT_FORMAT: AudioFormat = Object.freeze({
  encoding: 'pcm16',
  sampleRate: 16000,
  channels: 1,
});
/** Gemini Live output `inlineData`: s16le, 24 kHz (`audio/pcm;rate=24000`). */
export const GEMINI_OUTPUT_FORMAT: AudioFormat = Object.freeze({
  encoding: 'pcm16',
  sampleRate: 24000,
  channels: 1,
});

/** Bytes per sample: G.711 codes are one byte, PCM16 is two. */
export function bytesPerSample(format: AudioFormat): 1 | 2 {
  return format.encoding === 'pcm16' ? 2 : 1;
}

/**
 * Playback duration of `byteLength` bytes, in milliseconds (may be fractional).
 * µ-law/A-law 8 kHz: `bytes / 8`; PCM16: `bytes / (2 · rate / 1000)`.
 */
export function durationMs(byteLength: number, format: AudioFormat): number {
  return byteLength / ((bytesPerSample(format) * format.sampleRate) / 1000);
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
