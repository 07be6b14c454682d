import { describe, expect, it } from 'vitest';
import { GeminiToTwilio, pcm24kToTwilio, TwilioToGemini, twilioToPcm16k } from './convert.ts';
import { mulawDecode } from './mulaw.ts';
import { pcm16ToBytes } from './pcm16.ts';
import { Resampler } from './resampler.ts';
import { goertzelDb, toneMulaw, tonePcm16 } from './tone.ts';

describe('Twilio → Gemini', () => {
  it('turns 20 ms of µ-law into 20 ms of 16 kHz PCM carrying the same tone', () => {
    const resampler = new Resampler(8000, 16000);
    const mulaw = toneMulaw(1000, 1000, 0.5);
    const pcm = twilioToPcm16k(mulaw, resampler);
    expect(pcm.length).toBe(16000);
    expect(goertzelDb(pcm, 16000, 1000)).toBeCloseTo(-6, 0);
  });

  it('gives the same samples frame by frame through the class', () => {
    const mulaw = toneMulaw(700, 200);
    const whole = twilioToPcm16k(mulaw, new Resampler(8000, 16000));
    const converter = new TwilioToGemini();
    const frames: number[] = [];
    for (let i = 0; i < mulaw.length; i += 160) frames.push(...converter.push(mulaw.subarray(i, i + 160)));
    expect(frames).toEqual(Array.from(whole));
    expect(converter.latencyMs).toBeCloseTo(2.97, 2);
  });

  it('refuses a resampler for the wrong rates', () => {
    expect(() => twilioToPcm16k(new Uint8Array(160), new Resampler(8000, 24000))).toThrow(RangeError);
  });
});

describe('Gemini → Twilio', () => {
  it('turns 24 kHz PCM into a third as many µ-law bytes carrying the same tone', () => {
    const pcm = tonePcm16(1000, 1000, 24000, 0.5);
    const mulaw = pcm24kToTwilio(pcm, new Resampler(24000, 8000));
    expect(mulaw.length).toBe(8000);
    expect(goertzelDb(mulawDecode(mulaw), 8000, 1000)).toBeCloseTo(-6, 0);
    expect(() => pcm24kToTwilio(pcm, new Resampler(16000, 8000))).toThrow(RangeError);
  });

  it('accepts raw bytes split at odd offsets and matches the one-shot result', () => {
    const pcm = tonePcm16(440, 300, 24000, 0.7);
    const whole = pcm24kToTwilio(pcm, new Resampler(24000, 8000));
    const bytes = new Uint8Array(pcm16ToBytes(pcm));
    const converter = new GeminiToTwilio();
    const out: number[] = [];
    for (let i = 0; i < bytes.length; i += 961) out.push(...converter.pushBytes(bytes.subarray(i, i + 961)));
    expect(out).toEqual(Array.from(whole));
  });

  it('forgets history and any dangling byte on reset', () => {
    const converter = new GeminiToTwilio();
    converter.pushBytes(Uint8Array.of(1, 2, 3));
    converter.reset();
    const pcm = tonePcm16(440, 20, 24000);
    expect(converter.push(pcm)).toEqual(pcm24kToTwilio(pcm, new Resampler(24000, 8000)));
    expect(converter.latencyMs).toBeCloseTo(0.98, 2);
  });
});
