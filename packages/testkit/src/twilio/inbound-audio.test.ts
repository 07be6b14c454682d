import { describe, expect, it } from 'vitest';
import { InboundAudio } from './inbound-audio.ts';

describe('InboundAudio', () => {
  it('burst: frames of 160 bytes on consecutive 20 ms timestamps, last frame padded', async () => {
    const sent: Array<[number, number]> = [];
    const a = new InboundAudio({
      realtime: false,
      continuous: false,
      send: (f, ts) => sent.push([f.length, ts]),
    });
    await a.push(new Uint8Array(400), false);
    expect(sent).toEqual([
      [160, 0],
      [160, 20],
      [160, 40],
    ]);
    expect(a.framesSent).toBe(3);
  });

  it('realtime: re-joins the wall-clock grid after idling, so timestamps reflect elapsed time', async () => {
    const ts: number[] = [];
    const a = new InboundAudio({ realtime: true, continuous: false, send: (_f, t) => ts.push(t) });
    a.start();
    await a.push(new Uint8Array(320), true);
    await new Promise((r) => setTimeout(r, 100));
    await a.push(new Uint8Array(160), true);
    a.stop();
    expect(ts.slice(0, 2)).toEqual([0, 20]);
    expect(ts[2]).toBeGreaterThanOrEqual(80);
    expect((ts[2] ?? 0) % 20).toBe(0);
  });

  it('stop resolves pending pushes', async () => {
    const a = new InboundAudio({ realtime: true, continuous: true, send: () => {} });
    a.start();
    const pending = a.push(new Uint8Array(160 * 100), true);
    a.stop();
    await expect(pending).resolves.toBeUndefined();
  });
});
