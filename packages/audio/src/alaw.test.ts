import { describe, expect, it } from 'vitest';
import { alawDecode, alawEncode } from './alaw.ts';
import { allInt16, sha256 } from './testing/index.ts';

const ALL_CODES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('A-law', () => {
  it('decodes the standard vectors (0xD5 is silence, +8)', () => {
    const pcm = alawDecode(Uint8Array.of(0xd5, 0x55, 0x80, 0x00, 0xaa, 0x2a, 0xff, 0x7f));
    expect(Array.from(pcm)).toEqual([8, -8, 5504, -5504, 32256, -32256, 848, -848]);
  });

  it('decodes all 256 codes exactly like Python audioop.alaw2lin', () => {
    expect(sha256(alawDecode(ALL_CODES))).toBe(
      'e04788d110e58ff8c70c93b8480190d973e3b67876b6119abbaec766cc75c174',
    );
  });

  it('encodes the standard vectors', () => {
    const codes = alawEncode(Int16Array.of(0, -1, 32767, -32768, 1000, -1000, 8000, -8000, 100, -100));
    expect(Array.from(codes)).toEqual([0xd5, 0x55, 0xaa, 0x2a, 0xfa, 0x7a, 0x8a, 0x0a, 0xd3, 0x53]);
  });

  it('encodes every int16 input exactly like Python audioop.lin2alaw', () => {
    expect(sha256(alawEncode(allInt16()))).toBe(
      '38488f6fd710f4686360edc4d38639f96c491595ef93f8eb8d62d5e07ca6ce7b',
    );
  });

  it('keeps the round-trip error within half a quantisation step', () => {
    const input = allInt16();
    const back = alawDecode(alawEncode(input));
    for (let i = 0; i < input.length; i++) {
      const x = input[i]!;
      const mag = Math.abs(x);
      // 13-bit A-law: step 16 below 512 (segments 0–1), then doubling per segment.
      const step = mag < 512 ? 16 : 2 ** (Math.floor(Math.log2(mag)) - 4);
      if (Math.abs(back[i]! - x) > step / 2 + 1) expect.fail(`x=${x} back=${back[i]}`);
    }
  });

  it('re-encodes every decoded code to itself', () => {
    expect(Array.from(alawEncode(alawDecode(ALL_CODES)))).toEqual(Array.from(ALL_CODES));
  });
});
