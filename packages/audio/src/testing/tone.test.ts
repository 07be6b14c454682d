import { describe, expect, it } from 'vitest';
import { mulawDecode } from '../mulaw.ts';
import { goertzelDb, toneMulaw, tonePcm16 } from './tone.ts';

describe('tonePcm16', () => {
  it('makes round(ms · rate / 1000) samples starting at phase 0', () => {
    const tone = tonePcm16(1000, 20, 16000);
    expect(tone.length).toBe(320);
    expect(tone[0]).toBe(0);
    expect(tone[4]).toBe(Math.round(0.5 * 32767)); // quarter period at 1 kHz / 16 kHz
  });

  it('takes the amplitude as a fraction of full scale, or as an int16 peak above 1', () => {
    expect(Math.max(...tonePcm16(1000, 10, 8000, 1))).toBe(32767);
    expect(Math.max(...tonePcm16(1000, 10, 8000, 1000))).toBe(1000);
    expect(Math.max(...tonePcm16(1000, 10, 8000, 99999))).toBe(32767);
  });
});

describe('goertzelDb', () => {
  it('reads a full-scale sine as ~0 dBFS and a half-scale one as ~-6 dBFS', () => {
    expect(goertzelDb(tonePcm16(1000, 1000, 8000, 1), 8000, 1000)).toBeCloseTo(0, 1);
    expect(goertzelDb(tonePcm16(1000, 1000, 8000, 0.5), 8000, 1000)).toBeCloseTo(-6.02, 1);
  });

  it('works off the bin grid and ignores a loud tone 1 kHz away', () => {
    expect(goertzelDb(tonePcm16(1234.5, 1000, 16000, 0.25), 16000, 1234.5)).toBeCloseTo(-12.04, 1);
    expect(goertzelDb(tonePcm16(3000, 1000, 16000, 1), 16000, 2000)).toBeLessThan(-100);
  });

  it('returns -Infinity for silence and empty input', () => {
    expect(goertzelDb(new Int16Array(100), 8000, 1000)).toBe(Number.NEGATIVE_INFINITY);
    expect(goertzelDb(new Int16Array(0), 8000, 1000)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('toneMulaw', () => {
  it('is an 8 kHz µ-law tone: 8 bytes per ms, decoding to the same frequency and level', () => {
    const bytes = toneMulaw(440, 500, 0.5);
    expect(bytes.length).toBe(4000);
    const pcm = mulawDecode(bytes);
    expect(goertzelDb(pcm, 8000, 440)).toBeCloseTo(-6.02, 0);
  });
});
