import { describe, expect, it } from 'vitest';
import {
  type AudioFormat,
  bytesForMs,
  durationMs,
  GEMINI_INPUT_FORMAT,
  GEMINI_OUTPUT_FORMAT,
  silenceFrame,
  TWILIO_FORMAT,
} from './format.ts';

const PCMA: AudioFormat = { encoding: 'pcma', sampleRate: 8000, channels: 1 };

describe('formats', () => {
  it('describes the three legs', () => {
    expect(TWILIO_FORMAT).toEqual({ encoding: 'pcmu', sampleRate: 8000, channels: 1 });
    expect(GEMINI_INPUT_FORMAT).toEqual({ encoding: 'pcm16', sampleRate: 16000, channels: 1 });
    expect(GEMINI_OUTPUT_FORMAT).toEqual({ encoding: 'pcm16', sampleRate: 24000, channels: 1 });
    expect(Object.isFrozen(TWILIO_FORMAT)).toBe(true);
  });

  it('computes durations from bytes (protocols.md §5.1)', () => {
    expect(durationMs(160, TWILIO_FORMAT)).toBe(20);
    expect(durationMs(160, PCMA)).toBe(20);
    expect(durationMs(640, GEMINI_INPUT_FORMAT)).toBe(20);
    expect(durationMs(960, GEMINI_OUTPUT_FORMAT)).toBe(20);
    expect(durationMs(100, TWILIO_FORMAT)).toBe(12.5);
    expect(durationMs(0, GEMINI_OUTPUT_FORMAT)).toBe(0);
  });

  it('computes bytes for a duration, in whole samples', () => {
    expect(bytesForMs(20, TWILIO_FORMAT)).toBe(160);
    expect(bytesForMs(20, GEMINI_INPUT_FORMAT)).toBe(640);
    expect(bytesForMs(20, GEMINI_OUTPUT_FORMAT)).toBe(960);
    expect(bytesForMs(1000, TWILIO_FORMAT)).toBe(8000);
    expect(bytesForMs(0.1, GEMINI_OUTPUT_FORMAT) % 2).toBe(0);
  });

  it('makes silence frames in each encoding', () => {
    const mulaw = silenceFrame(TWILIO_FORMAT);
    expect(mulaw.length).toBe(160);
    expect(mulaw.every((b) => b === 0xff)).toBe(true);
    expect(Buffer.from(mulaw).toString('base64')).toBe(`${'/'.repeat(213)}w==`); // 216 chars
    expect(silenceFrame(PCMA, 10).every((b) => b === 0xd5)).toBe(true);
    const pcm = silenceFrame(GEMINI_OUTPUT_FORMAT, 40);
    expect(pcm.length).toBe(1920);
    expect(pcm.every((b) => b === 0)).toBe(true);
  });
});
