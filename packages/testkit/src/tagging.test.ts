import { describe, expect, it } from 'vitest';
import { readTag, TAG_BYTES, TagClock, TagScanner, tagFrame, wallClockMs } from './tagging.ts';
import { mulawTone } from './util/g711.ts';

describe('tagging', () => {
  it('round-trips through base64 and rejects untagged audio', () => {
    const frame = mulawTone(440, 20);
    const tagged = tagFrame(123456, frame);
    expect(tagged).toHaveLength(160);
    expect(tagged.subarray(TAG_BYTES)).toEqual(frame.subarray(TAG_BYTES));
    expect(readTag(Buffer.from(tagged.toString('base64'), 'base64'))).toBe(123456);
    expect(readTag(frame)).toBeNull();
    const corrupted = Buffer.from(tagged);
    corrupted[6] = (corrupted[6] ?? 0) ^ 1;
    expect(readTag(corrupted)).toBeNull();
    expect(readTag(tagFrame(0xffffffff, frame))).toBe(0xffffffff);
  });

  it('finds tags in a re-chunked stream, including tags split across chunks', () => {
    const stream = Buffer.concat([0, 1, 2, 3].map((seq) => tagFrame(seq, mulawTone(440, 20))));
    const scanner = new TagScanner();
    const found: number[] = [];
    // Chunk at odd sizes so tags straddle boundaries.
    for (let off = 0; off < stream.length; off += 97) {
      for (const t of scanner.push(stream.subarray(off, off + 97), off)) found.push(t.seq);
    }
    expect(found).toEqual([0, 1, 2, 3]);
    expect(new TagScanner().push(mulawTone(300, 1000))).toEqual([]);
  });

  it('records emit times on both clocks', () => {
    const clock = new TagClock();
    clock.record(5000, 12.5);
    expect(clock.get(5000)?.atMs).toBe(12.5);
    expect(clock.get(1)).toBeUndefined();
    expect(clock.size).toBe(5001);
    expect(Math.abs(wallClockMs() - Date.now())).toBeLessThan(50);
  });
});
