import { describe, expect, it } from 'vitest';
import { mulawDecode, mulawDecodeSample, mulawEncode, mulawEncodeSample } from './mulaw.ts';
import { allInt16, sha256 } from './testing/index.ts';

const ALL_CODES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('µ-law', () => {
  it('decodes the reference vectors (docs/audio.md#g711-reference-vectors)', () => {
    const pcm = mulawDecode(Uint8Array.of(0x00, 0x80, 0x7f, 0xff));
    expect(Array.from(pcm)).toEqual([-32124, 32124, 0, 0]);
  });

  it('decodes all 256 codes exactly like Python audioop.ulaw2lin', () => {
    // sha256 of audioop.ulaw2lin(bytes(range(256)), 2), computed with Python 3.11.
    expect(sha256(mulawDecode(ALL_CODES))).toBe(
      '3dab54339e520bb2c924826e3b72a917a2b612e9fd12fc867500f1d983a75827',
    );
  });

  it('encodes the reference vectors (docs/audio.md#g711-reference-vectors)', () => {
    const codes = mulawEncode(Int16Array.of(0, 32767, -32768, 1000, -1000, 8000, -1));
    expect(Array.from(codes)).toEqual([0xff, 0x80, 0x00, 0xce, 0x4e, 0xa0, 0x7f]);
  });

  it('matches the BIAS 0x84 / CLIP 32635 reference encoder on every int16 input', () => {
    // sha256 of the reference (sign, clip, +0x84, segment, ~code) over -32768…32767,
    // computed independently in Python; it differs from audioop.lin2ulaw on exactly 381
    // inputs, by one code, as docs/audio.md#g711-reference-vectors records.
    expect(sha256(mulawEncode(allInt16()))).toBe(
      '5ee7cf5f273f842d2234121e4cb0c98d6b20a99ac29026f94e05b36955b195be',
    );
  });

  it('keeps the round-trip error within half a quantisation step', () => {
    const input = allInt16();
    const codes = mulawEncode(input);
    const back = mulawDecode(codes);
    for (let i = 0; i < input.length; i++) {
      const x = input[i]!;
      const err = Math.abs(back[i]! - x);
      if (Math.abs(x) > 32635) {
        expect(Math.abs(back[i]!)).toBe(32124); // clipped to the top code
        continue;
      }
      const segment = (~codes[i]! >> 4) & 0x07;
      // Step in segment e is 2^(e+3); the decoder returns the interval midpoint (± 1 for the 0.5 offset).
      if (err > 2 ** (segment + 2) + 1) expect.fail(`x=${x} err=${err}`);
    }
  });

  it('re-encodes every decoded code to itself (except 0x7F, the second zero)', () => {
    const again = mulawEncode(mulawDecode(ALL_CODES));
    for (let c = 0; c < 256; c++) expect(again[c]).toBe(c === 0x7f ? 0xff : c);
  });

  it('writes into a caller-provided buffer and returns a view of the used part', () => {
    const out = new Uint8Array(8);
    const codes = mulawEncode(Int16Array.of(0, 1000), out);
    expect(codes.buffer).toBe(out.buffer);
    expect(Array.from(codes)).toEqual([0xff, 0xce]);
    const pcmOut = new Int16Array(2);
    expect(mulawDecode(Uint8Array.of(0x80, 0x00), pcmOut)).toBe(pcmOut);
    expect(() => mulawDecode(new Uint8Array(3), pcmOut)).toThrow(RangeError);
  });

  it('has single-sample helpers that clamp', () => {
    expect(mulawEncodeSample(40000)).toBe(0x80);
    expect(mulawEncodeSample(-40000)).toBe(0x00);
    expect(mulawDecodeSample(0x80)).toBe(32124);
  });
});
