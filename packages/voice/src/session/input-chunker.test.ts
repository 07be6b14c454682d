import { type AudioFormat, PCM16_24K, PCMU_8K } from '@switchboard/audio';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputChunker, joinBase64, SWEEP_MS } from './input-chunker.ts';

/** `ms` of µ-law 8 kHz (8 bytes per ms) filled with `fill`, as base64. */
const ulaw = (ms: number, fill: number) => Buffer.alloc(ms * 8, fill).toString('base64');

/** Every chunker a test made, stopped after it (the sweep's interval is made on the test's fake clock). */
const made: InputChunker[] = [];

function chunker(chunkMs: number) {
  const sent: Array<{ bytes: Buffer; format: AudioFormat }> = [];
  const c = new InputChunker({
    chunkMs,
    send: (base64, format) => sent.push({ bytes: Buffer.from(base64, 'base64'), format }),
  });
  made.push(c);
  return { c, sent, lengths: () => sent.map((s) => s.bytes.length) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  for (const c of made.splice(0)) c.stop();
  vi.useRealTimers();
});

describe('InputChunker', () => {
  it('joins 20 ms frames into 40 ms chunks, bytes and order unchanged', () => {
    const { c, sent, lengths } = chunker(40);
    const frames = [1, 2, 3, 4].map((fill) => ulaw(20, fill));
    c.push(frames[0] as string, PCMU_8K);
    expect(sent).toEqual([]);
    for (const f of frames.slice(1)) c.push(f, PCMU_8K);
    expect(lengths()).toEqual([320, 320]);
    const all = Buffer.concat(frames.map((f) => Buffer.from(f, 'base64')));
    expect(Buffer.concat(sent.map((s) => s.bytes))).toEqual(all);
  });

  it('sends a frame left alone once it waited about chunkMs (the shared sweep), and only once', () => {
    const { c, lengths } = chunker(40);
    c.push(ulaw(20, 1), PCMU_8K);
    vi.advanceTimersByTime(40 - 2 * SWEEP_MS);
    expect(lengths()).toEqual([]);
    vi.advanceTimersByTime(2 * SWEEP_MS);
    expect(lengths()).toEqual([160]);
    vi.advanceTimersByTime(200);
    expect(lengths()).toEqual([160]);
  });

  it('pairs frames that come 20 ms apart without the sweep sending either alone', () => {
    const { c, lengths } = chunker(40);
    for (let i = 0; i < 6; i++) {
      c.push(ulaw(20, i), PCMU_8K);
      vi.advanceTimersByTime(20);
    }
    expect(lengths()).toEqual([320, 320, 320]);
  });

  it('sends a frame of chunkMs or more at once, and every frame as it comes with chunkMs 0', () => {
    const long = chunker(40);
    long.c.push(ulaw(100, 1), PCMU_8K);
    expect(long.lengths()).toEqual([800]);
    const off = chunker(0);
    const frame = ulaw(20, 7);
    off.c.push(frame, PCMU_8K);
    off.c.push(frame, PCMU_8K);
    expect(off.sent.map((s) => s.bytes.toString('base64'))).toEqual([frame, frame]);
  });

  it('never joins two formats: what is held goes first', () => {
    const { c, sent } = chunker(40);
    c.push(ulaw(20, 1), PCMU_8K);
    const pcm = Buffer.alloc(960, 2).toString('base64'); // 20 ms of PCM16 24 kHz
    c.push(pcm, PCM16_24K);
    expect(sent.map((s) => [s.bytes.length, s.format])).toEqual([[160, PCMU_8K]]);
    vi.advanceTimersByTime(40);
    expect(sent.map((s) => [s.bytes.length, s.format])).toEqual([
      [160, PCMU_8K],
      [960, PCM16_24K],
    ]);
  });

  it('stop drops what is held and its timer', () => {
    const { c, sent } = chunker(40);
    c.push(ulaw(20, 1), PCMU_8K);
    c.stop();
    vi.advanceTimersByTime(100);
    c.push(ulaw(20, 2), PCMU_8K);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
  });
});

describe('joinBase64', () => {
  it('joins parts whose base64 ends in padding', () => {
    const parts = [Buffer.from([1]), Buffer.from([2, 3]), Buffer.from([4, 5, 6, 7])];
    expect(Buffer.from(joinBase64(parts.map((p) => p.toString('base64'))), 'base64')).toEqual(
      Buffer.concat(parts),
    );
  });
});
