import { describe, expect, it } from 'vitest';
import { base64ByteLength, base64DurationMs, PCM16_24K, PCMU_8K, sameFormat } from './audio-format.ts';

describe('audio-format', () => {
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
