import {
  ALAW_TO_LINEAR,
  g711Rms,
  linearToAlaw,
  linearToMulaw,
  MULAW_TO_LINEAR,
  pcm16Rms,
  sineSamples,
} from '../util/g711.ts';
import type { AudioFormat } from './config.ts';

/** Bytes per millisecond of a GA audio format: G.711 8 kHz = 8, PCM16 24 kHz = 48. */
export function bytesPerMs(format: AudioFormat): number {
  return format.type === 'audio/pcm' ? 48 : 8;
}

/** RMS level (linear 16-bit scale) of `bytes[start, end)` in `format`. */
export function rmsOf(format: AudioFormat, bytes: Uint8Array, start: number, end: number): number {
  if (format.type === 'audio/pcmu') return g711Rms(bytes, MULAW_TO_LINEAR, start, end);
  if (format.type === 'audio/pcma') return g711Rms(bytes, ALAW_TO_LINEAR, start, end);
  return pcm16Rms(bytes, start, end);
}

// One second of tone per (format, frequency): an integer number of cycles for integer Hz, so it
// tiles seamlessly. Generated once and shared by every session.
const oneSecond = new Map<string, Buffer>();

function toneSecond(format: AudioFormat, hz: number): Buffer {
  const key = `${format.type}:${hz}`;
  let buf = oneSecond.get(key);
  if (buf) return buf;
  const rate = format.type === 'audio/pcm' ? 24000 : 8000;
  const samples = sineSamples(hz, 1000, rate, 0.3);
  if (format.type === 'audio/pcm') {
    buf = Buffer.allocUnsafe(samples.length * 2);
    for (let i = 0; i < samples.length; i++) buf.writeInt16LE(samples[i] ?? 0, i * 2);
  } else {
    const enc = format.type === 'audio/pcmu' ? linearToMulaw : linearToAlaw;
    buf = Buffer.allocUnsafe(samples.length);
    for (let i = 0; i < samples.length; i++) buf[i] = enc(samples[i] ?? 0);
  }
  oneSecond.set(key, buf);
  return buf;
}

/** `durationMs` of a sine tone (30 % of full scale) in `format`. */
export function toneAudio(format: AudioFormat, hz: number, durationMs: number): Buffer {
  const second = toneSecond(format, Math.round(hz));
  let total = Math.round(durationMs * bytesPerMs(format));
  if (format.type === 'audio/pcm') total -= total % 2;
  const out = Buffer.allocUnsafe(total);
  for (let off = 0; off < total; off += second.length)
    second.copy(out, off, 0, Math.min(second.length, total - off));
  return out;
}
