import { describe, expect, it } from 'vitest';
import {
  ALAW_TO_LINEAR,
  g711Rms,
  linearToAlaw,
  linearToMulaw,
  MULAW_TO_LINEAR,
  mulawSilence,
  mulawTone,
  pcm16Rms,
} from './g711.ts';

describe('g711', () => {
  it('matches the µ-law vectors of docs/audio.md#g711-reference-vectors', () => {
    expect(MULAW_TO_LINEAR[0x00]).toBe(-32124);
    expect(MULAW_TO_LINEAR[0x80]).toBe(32124);
    expect(MULAW_TO_LINEAR[0x7f]).toBe(0);
    expect(MULAW_TO_LINEAR[0xff]).toBe(0);
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToMulaw(32767)).toBe(0x80);
    expect(linearToMulaw(-32768)).toBe(0x00);
    expect(linearToMulaw(1000)).toBe(0xce);
    expect(linearToMulaw(-1000)).toBe(0x4e);
    expect(linearToMulaw(8000)).toBe(0xa0);
  });

  it('round-trips every µ-law and A-law code', () => {
    for (let code = 0; code < 256; code++) {
      const m = MULAW_TO_LINEAR[code] ?? 0;
      // 0x7F and 0xFF both decode to 0; 0 encodes to 0xFF.
      expect(MULAW_TO_LINEAR[linearToMulaw(m)]).toBe(m);
      const a = ALAW_TO_LINEAR[code] ?? 0;
      expect(linearToAlaw(a)).toBe(code);
    }
  });

  it('makes tones and silence with the expected level', () => {
    const tone = mulawTone(440, 100, 0.5);
    expect(tone.length).toBe(800);
    const rms = g711Rms(tone, MULAW_TO_LINEAR);
    expect(rms).toBeGreaterThan(0.5 * 32767 * 0.68);
    expect(rms).toBeLessThan(0.5 * 32767 * 0.74);
    expect(g711Rms(mulawSilence(20), MULAW_TO_LINEAR)).toBe(0);
    const pcm = Buffer.alloc(4);
    pcm.writeInt16LE(-1000, 0);
    pcm.writeInt16LE(1000, 2);
    expect(pcm16Rms(pcm)).toBe(1000);
  });
});
