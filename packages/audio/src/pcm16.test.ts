import { describe, expect, it } from 'vitest';
import { pcm16FromBytes, pcm16ToBytes } from './pcm16.ts';

describe('pcm16 bytes', () => {
  it('reads little-endian samples without copying when aligned', () => {
    const buf = Uint8Array.of(0x01, 0x00, 0xff, 0xff, 0x00, 0x80, 0xff, 0x7f);
    const pcm = pcm16FromBytes(buf);
    expect(Array.from(pcm)).toEqual([1, -1, -32768, 32767]);
    expect(pcm.buffer).toBe(buf.buffer);
  });

  it('copies when the bytes start at an odd offset', () => {
    const backing = new Uint8Array(9);
    backing.set([0x34, 0x12, 0xcd, 0xab], 1);
    const pcm = pcm16FromBytes(backing.subarray(1));
    expect(Array.from(pcm)).toEqual([0x1234, 0xabcd - 0x10000, 0, 0]);
    expect(pcm.buffer).not.toBe(backing.buffer);
  });

  it('ignores a trailing odd byte', () => {
    expect(Array.from(pcm16FromBytes(Uint8Array.of(2, 0, 7)))).toEqual([2]);
  });

  it('round-trips through base64 as Twilio/Gemini payloads do', () => {
    const pcm = Int16Array.of(0, 1, -1, 32767, -32768, 12345);
    const b64 = pcm16ToBytes(pcm).toString('base64');
    expect(Array.from(pcm16FromBytes(Buffer.from(b64, 'base64')))).toEqual(Array.from(pcm));
  });

  it('writes little-endian bytes that share memory with the samples', () => {
    const pcm = Int16Array.of(0x0102, -2);
    const bytes = pcm16ToBytes(pcm);
    expect(Array.from(bytes)).toEqual([0x02, 0x01, 0xfe, 0xff]);
    pcm[0] = 0;
    expect(bytes[0]).toBe(0);
  });
});
