import { describe, expect, it } from 'vitest';
import {
  type AudioFormat,
  base64ByteLength,
  base64DurationMs,
  bytesForMs,
  durationMs,
  PCM16_16K,
  PCM16_24K,
  PCMU_8K,
  sameFormat,
  silenceFrame,
} from './format.ts';

const PCMA: AudioFormat = { encoding: 'pcma', sampleRate: 8000, channels: 1 };

describe('formats', () => {
  it('describes the three legs', () => {
    expect(PCMU_8K).toEqual({ encoding: 'pcmu', sampleRate: 8000, channels: 1 });
    expect(PCM16_16K).toEqual({ encoding: 'pcm16', sampleRate: 16000, channels: 1 });
    expect(PCM16_24K).toEqual({ encoding: 'pcm16', sampleRate: 24000, channels: 1 });
    expect(Object.isFrozen(PCMU_8K)).toBe(true);
  });

  it('computes durations from bytes (docs/audio.md#formats)', () => {
    expect(durationMs(160, PCMU_8K)).toBe(20);
    expect(durationMs(160, PCMA)).toBe(20);
    expect(durationMs(640, PCM16_16K)).toBe(20);
    expect(durationMs(960, PCM16_24K)).toBe(20);
    expect(durationMs(100, PCMU_8K)).toBe(12.5);
    expect(durationMs(0, PCM16_24K)).toBe(0);
  });

  it('computes bytes for a duration, in whole samples', () => {
    expect(bytesForMs(20, PCMU_8K)).toBe(160);
    expect(bytesForMs(20, PCM16_16K)).toBe(640);
    expect(bytesForMs(20, PCM16_24K)).toBe(960);
    expect(bytesForMs(1000, PCMU_8K)).toBe(8000);
    expect(bytesForMs(0.1, PCM16_24K) % 2).toBe(0);
  });

  it('makes silence frames in each encoding', () => {
    const mulaw = silenceFrame(PCMU_8K);
    expect(mulaw.length).toBe(160);
    expect(mulaw.every((b) => b === 0xff)).toBe(true);
    expect(Buffer.from(mulaw).toString('base64')).toBe(`${'/'.repeat(213)}w==`); // 216 chars
    expect(silenceFrame(PCMA, 10).every((b) => b === 0xd5)).toBe(true);
    const pcm = silenceFrame(PCM16_24K, 40);
    expect(pcm.length).toBe(1920);
    expect(pcm.every((b) => b === 0)).toBe(true);
  });

  it('computes decoded length from base64 length', () => {
    for (const n of [0, 1, 2, 3, 4, 159, 160, 161]) {
      const b64 = Buffer.alloc(n, 0xff).toString('base64');
      expect(base64ByteLength(b64)).toBe(n);
    }
  });

  it('gives 20 ms for one Twilio frame and for 960 bytes of 24 kHz pcm16', () => {
    expect(base64DurationMs(Buffer.alloc(160).toString('base64'), PCMU_8K)).toBe(20);
    expect(base64DurationMs(Buffer.alloc(960).toString('base64'), PCM16_24K)).toBe(20);
  });

  it('compares formats structurally', () => {
    expect(sameFormat(PCMU_8K, { encoding: 'pcmu', sampleRate: 8000, channels: 1 })).toBe(true);
    expect(sameFormat(PCMU_8K, PCM16_24K)).toBe(false);
  });
});
