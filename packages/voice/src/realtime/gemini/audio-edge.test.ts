import {
  alawDecode,
  alawEncode,
  mulawDecode,
  PCM16_16K,
  PCM16_24K,
  PCMA_8K,
  PCMU_8K,
  pcm16FromBytes,
  pcm16ToBytes,
} from '@switchboard/audio';
import { goertzelDb, toneMulaw, tonePcm16 } from '@switchboard/audio/testing';
import { describe, expect, it } from 'vitest';
import type { AudioFormat } from '../../types.ts';
import { convertibleFormat, GeminiAudioIn, GeminiAudioOut } from './audio-edge.ts';

const PCM16_8K: AudioFormat = { encoding: 'pcm16', sampleRate: 8000, channels: 1 };

/** Splits bytes into `size`-byte chunks, base64 each (odd sizes tear samples on purpose). */
function chunks(bytes: Uint8Array, size: number): string[] {
  const out: string[] = [];
  for (let off = 0; off < bytes.length; off += size) {
    out.push(Buffer.from(bytes.subarray(off, off + size)).toString('base64'));
  }
  return out;
}

function pushIn(edge: GeminiAudioIn, parts: string[]): Int16Array {
  return Int16Array.from(parts.flatMap((p) => [...edge.push(p)]));
}

function pushOut(edge: GeminiAudioOut, parts: string[]): Buffer {
  return Buffer.concat(parts.map((p) => Buffer.from(edge.push(p), 'base64')));
}

/** The steady part of a block (skips the resampler's start-up). */
const steady = (samples: Int16Array, rate: number) => samples.subarray(rate / 50);

describe('GeminiAudioIn: caller audio → PCM16 16 kHz', () => {
  it('resamples browser PCM16 24 kHz to 16 kHz, keeping speech and rejecting what 16 kHz cannot hold', () => {
    const tone = pcm16ToBytes(tonePcm16(1000, 1000, 24000, 0.5));
    const out = pushIn(new GeminiAudioIn(PCM16_24K), chunks(tone, 1920)); // 40 ms frames
    expect(out.length).toBe(16000);
    expect(goertzelDb(steady(out, 16000), 16000, 1000)).toBeGreaterThan(-6.5);
    // 10 kHz is above the 8 kHz Nyquist of 16 kHz: it must not fold back to 6 kHz.
    const high = pcm16ToBytes(tonePcm16(10_000, 1000, 24000, 0.5));
    const folded = pushIn(new GeminiAudioIn(PCM16_24K), chunks(high, 1920));
    expect(goertzelDb(steady(folded, 16000), 16000, 6000)).toBeLessThan(-60);
  });

  it('upsamples PCM16 8 kHz and decodes µ-law and A-law 8 kHz', () => {
    const pcm8 = pushIn(new GeminiAudioIn(PCM16_8K), chunks(pcm16ToBytes(tonePcm16(700, 500, 8000)), 320));
    expect(pcm8.length).toBe(8000);
    expect(goertzelDb(steady(pcm8, 16000), 16000, 700)).toBeGreaterThan(-6.5);
    const ulaw = pushIn(new GeminiAudioIn(PCMU_8K), chunks(toneMulaw(700, 500), 160));
    expect(ulaw.length).toBe(8000);
    expect(goertzelDb(steady(ulaw, 16000), 16000, 700)).toBeGreaterThan(-7);
    const alaw = pushIn(new GeminiAudioIn(PCMA_8K), chunks(alawEncode(tonePcm16(700, 500, 8000, 0.5)), 160));
    expect(alaw.length).toBe(8000);
    expect(goertzelDb(steady(alaw, 16000), 16000, 700)).toBeGreaterThan(-7);
  });

  it('passes PCM16 16 kHz through sample for sample', () => {
    const tone = tonePcm16(440, 100, 16000);
    const out = pushIn(new GeminiAudioIn(PCM16_16K), chunks(pcm16ToBytes(tone), 640));
    expect(out).toEqual(tone);
  });

  it('chunking, even a split mid-sample, does not change the result', () => {
    const tone = pcm16ToBytes(tonePcm16(1000, 300, 24000));
    const whole = pushIn(new GeminiAudioIn(PCM16_24K), chunks(tone, tone.length));
    const torn = pushIn(new GeminiAudioIn(PCM16_24K), chunks(tone, 333));
    expect(torn).toEqual(whole);
  });
});

describe('GeminiAudioOut: model PCM16 24 kHz → the session format', () => {
  const model = pcm16ToBytes(tonePcm16(440, 1000, 24000, 0.5));

  it('passes PCM16 24 kHz through untouched for the browser', () => {
    const edge = new GeminiAudioOut(PCM16_24K);
    const parts = chunks(model, 4800);
    expect(parts.map((p) => edge.push(p))).toEqual(parts);
  });

  it('converts to µ-law 8 kHz for Twilio, as before', () => {
    const out = mulawDecode(pushOut(new GeminiAudioOut(PCMU_8K), chunks(model, 4800)));
    expect(out.length).toBe(8000);
    expect(goertzelDb(steady(out, 8000), 8000, 440)).toBeGreaterThan(-7);
  });

  it('converts to A-law 8 kHz and PCM16 16 kHz', () => {
    const alaw = alawDecode(pushOut(new GeminiAudioOut(PCMA_8K), chunks(model, 4800)));
    expect(alaw.length).toBe(8000);
    expect(goertzelDb(steady(alaw, 8000), 8000, 440)).toBeGreaterThan(-7);
    const pcm16 = pcm16FromBytes(pushOut(new GeminiAudioOut(PCM16_16K), chunks(model, 4801)));
    expect(pcm16.length).toBe(16000);
    expect(goertzelDb(steady(pcm16, 16000), 16000, 440)).toBeGreaterThan(-6.5);
  });
});

describe('convertibleFormat', () => {
  it('accepts mono G.711 8 kHz and PCM16 8/16/24 kHz only', () => {
    for (const f of [PCMU_8K, PCMA_8K, PCM16_8K, PCM16_16K, PCM16_24K])
      expect(convertibleFormat(f)).toBe(true);
    const stereo = { encoding: 'pcm16', sampleRate: 24000, channels: 2 } as unknown as AudioFormat;
    expect(convertibleFormat(stereo)).toBe(false);
    expect(convertibleFormat({ encoding: 'pcmu', sampleRate: 16000, channels: 1 })).toBe(false);
    expect(() => new GeminiAudioIn(stereo)).toThrow(RangeError);
  });
});
