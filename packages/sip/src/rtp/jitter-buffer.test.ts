import { describe, expect, it } from 'vitest';
import { JitterBuffer, seqDistance } from './jitter-buffer.ts';

function setup(depth = 3) {
  let now = 0;
  const out: string[] = [];
  const buffer = new JitterBuffer({
    depth,
    silence: Buffer.from('--'),
    onFrame: (payload, concealed) => out.push(concealed ? '~' : payload.toString()),
    now: () => now,
  });
  const push = (seq: number) => buffer.push(seq & 0xffff, Buffer.from(String(seq).padStart(2, '0')));
  return { buffer, out, push, advance: (ms: number) => (now += ms) };
}

describe('JitterBuffer', () => {
  it('releases in-order packets at once, across the 16-bit wrap', () => {
    const { out, push } = setup();
    for (const seq of [65534, 65535, 65536, 65537]) push(seq);
    expect(out).toEqual(['65534', '65535', '65536', '65537']);
  });

  it('puts a late packet back in order', () => {
    const { out, push, buffer } = setup();
    push(1);
    push(3);
    expect(out).toEqual(['01']);
    push(2);
    expect(out).toEqual(['01', '02', '03']);
    expect(buffer.stats).toMatchObject({ reordered: 1, lost: 0 });
  });

  it('fills a hole with silence once `depth` packets wait behind it', () => {
    const { out, push, buffer } = setup(3);
    push(1);
    push(4);
    push(5);
    expect(out).toEqual(['01']);
    push(6);
    expect(out).toEqual(['01', '~', '~', '04', '05', '06']);
    expect(buffer.stats.lost).toBe(2);
    push(2); // too late now
    expect(buffer.stats.late).toBe(1);
  });

  it('gives up on a hole after depth × 20 ms on tick', () => {
    const { out, push, buffer, advance } = setup(3);
    push(1);
    push(3);
    advance(30);
    buffer.tick();
    expect(out).toEqual(['01']);
    advance(40);
    buffer.tick();
    expect(out).toEqual(['01', '~', '03']);
  });

  it('drops duplicates and restarts on a large jump', () => {
    const { out, push, buffer } = setup();
    push(10);
    push(10);
    push(30000);
    expect(out).toEqual(['10', '30000']);
    expect(buffer.stats.late).toBe(1);
  });

  it('measures sequence distance with wrap-around', () => {
    expect(seqDistance(65535, 0)).toBe(1);
    expect(seqDistance(0, 65535)).toBe(-1);
  });
});
