import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Playout } from './playout.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Playout', () => {
  it('plays at 8 bytes/ms and echoes marks when playback reaches them', async () => {
    const echoes: Array<{ name: string; cleared: boolean; at: number }> = [];
    const t0 = performance.now();
    const p = new Playout('realtime', (name, cleared) =>
      echoes.push({ name, cleared, at: performance.now() - t0 }),
    );
    p.enqueueMedia(Buffer.alloc(400, 1), t0); // 50 ms
    p.enqueueMark('a', t0);
    p.enqueueMedia(Buffer.alloc(400, 2), t0); // +50 ms
    p.enqueueMark('b', t0);
    expect(p.bufferedMs(t0)).toBeCloseTo(100, 6);
    expect(p.heard(t0 + 25)).toHaveLength(200);
    expect(p.playedMs(t0 + 75)).toBeCloseTo(75, 6);
    await sleep(130);
    expect(echoes.map((e) => e.name)).toEqual(['a', 'b']);
    expect(echoes[0]?.at).toBeGreaterThanOrEqual(49);
    expect(echoes[1]?.at).toBeGreaterThanOrEqual(99);
    expect(p.heard()).toEqual(Buffer.concat([Buffer.alloc(400, 1), Buffer.alloc(400, 2)]));
    p.close();
  });

  it('echoes a mark at once when nothing is queued', () => {
    const names: string[] = [];
    const p = new Playout('realtime', (name) => names.push(name));
    p.enqueueMark('now');
    expect(names).toEqual(['now']);
  });

  it('clear drops unplayed audio and echoes pending marks immediately', () => {
    const echoes: Array<[string, boolean]> = [];
    const p = new Playout('realtime', (name, cleared) => echoes.push([name, cleared]));
    const t0 = performance.now();
    p.enqueueMedia(Buffer.alloc(8000, 7), t0); // 1 s
    p.enqueueMark('m1', t0);
    p.enqueueMedia(Buffer.alloc(800, 8), t0);
    p.enqueueMark('m2', t0);
    expect(p.clear(t0 + 300)).toEqual(['m1', 'm2']);
    expect(echoes).toEqual([
      ['m1', true],
      ['m2', true],
    ]);
    expect(p.heard(t0 + 1000)).toHaveLength(2400);
    expect(p.bufferedMs(t0 + 300)).toBe(0);
    // Audio after clear plays from "now".
    p.enqueueMedia(Buffer.alloc(80, 9), t0 + 400);
    expect(p.heard(t0 + 410)).toHaveLength(2480);
    p.close();
  });

  it('instant mode plays on arrival', () => {
    const names: string[] = [];
    const p = new Playout('instant', (name) => names.push(name));
    p.enqueueMedia(Buffer.alloc(16000));
    p.enqueueMark('x');
    expect(names).toEqual(['x']);
    expect(p.playedMs()).toBe(2000);
    expect(p.bufferedMs()).toBe(0);
  });
});
