import { describe, expect, it } from 'vitest';
import { FrameChunker } from './frame-chunker.ts';

const bytes = (n: number, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);

describe('FrameChunker', () => {
  it('splits a stream into fixed frames regardless of how it arrives', () => {
    const chunker = new FrameChunker(160);
    const stream = bytes(1000);
    const frames: Uint8Array[] = [];
    for (const size of [1, 159, 300, 40, 400, 100]) {
      const offset = frames.length * 160 + chunker.pendingBytes;
      frames.push(...chunker.push(stream.subarray(offset, offset + size)));
    }
    expect(frames.map((f) => f.length)).toEqual([160, 160, 160, 160, 160, 160]);
    expect(frames.map((f) => f[0])).toEqual([0, 160, 64, 224, 128, 32]);
    const tail = chunker.flush();
    expect(tail).toEqual(stream.subarray(960));
    expect(chunker.flush()).toBeNull();
  });

  it('returns copies the caller can keep', () => {
    const chunker = new FrameChunker(4);
    const input = bytes(8);
    const [first] = chunker.push(input);
    input.fill(99);
    expect(Array.from(first!)).toEqual([0, 1, 2, 3]);
  });

  it('pads the last frame when given a pad byte', () => {
    const chunker = new FrameChunker(160);
    chunker.push(bytes(10));
    const last = chunker.flush(0xff)!;
    expect(last.length).toBe(160);
    expect(last[9]).toBe(9);
    expect(last[10]).toBe(0xff);
  });

  it('drops a partial frame on reset and validates the frame size', () => {
    const chunker = new FrameChunker(3);
    chunker.push(bytes(2));
    chunker.reset();
    expect(chunker.pendingBytes).toBe(0);
    expect(chunker.push(bytes(3, 7)).map((f) => Array.from(f))).toEqual([[7, 8, 9]]);
    expect(() => new FrameChunker(0)).toThrow(RangeError);
    expect(() => new FrameChunker(1.5)).toThrow(RangeError);
  });
});
