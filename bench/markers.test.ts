import { describe, expect, it } from 'vitest';
import {
  isBurstChunkBase64,
  markerFrameMulaw,
  markerReplyPcm24k,
  matchMarkers,
  matchMarkersInOrder,
  mulawRms,
  ONSET_RMS,
  OnsetDetector,
  pcm16Rms,
} from './markers.ts';

describe('tone-burst markers', () => {
  it('puts a 20 ms burst every 200 ms into the reply audio', () => {
    const audio = markerReplyPcm24k(400);
    const chunk = 960; // bytes of 20 ms at 24 kHz
    const chunks = Array.from({ length: 20 }, (_, k) => audio.subarray(k * chunk, (k + 1) * chunk));
    expect(chunks.map((c) => isBurstChunkBase64(c.toString('base64')))).toEqual(
      Array.from({ length: 20 }, (_, k) => k % 10 === 0),
    );
    expect(pcm16Rms(chunks[0]!)).toBeGreaterThan(ONSET_RMS);
    expect(pcm16Rms(chunks[1]!)).toBe(0);
  });

  it('detects rising edges only', () => {
    const d = new OnsetDetector();
    const loud = mulawRms(markerFrameMulaw());
    expect(loud).toBeGreaterThan(ONSET_RMS);
    expect([0, loud, loud, 0, loud].map((r) => d.push(r))).toEqual([false, true, false, false, true]);
  });

  it('matches onsets to the latest burst before them, counting holes and the tail apart', () => {
    const sent = [0, 200, 400, 600, 800];
    // 200's onset is missing (a hole), 800's too (the tail); an onset at 30 ms has no burst left.
    const m = matchMarkers(sent, [5, 30, 407, 612], 0, 900);
    expect(Array.from(m.latencies)).toEqual([5, 7, 12]);
    expect(m).toMatchObject({ expected: 5, received: 3, lost: 1, undelivered: 1, spurious: 1 });
  });

  it('pairs in order when nothing is missing, however late the audio is', () => {
    const m = matchMarkers([0, 200, 400, 600], [350, 560, 745], 0, 1000);
    expect(Array.from(m.latencies)).toEqual([350, 360, 345]);
    expect(m).toMatchObject({ expected: 4, received: 3, lost: 0, undelivered: 1, spurious: 0 });
  });

  it('keeps a real hole a hole (in-order pairing would jump by a period)', () => {
    const m = matchMarkers([0, 200, 400, 600], [5, 407, 606], 0, 1000);
    expect(Array.from(m.latencies)).toEqual([5, 7, 6]);
    expect(m).toMatchObject({ lost: 1, spurious: 0 });
  });

  it('pairs in order when a whole reply is emitted at once', () => {
    const m = matchMarkersInOrder([100, 100, 100], [110, 130], 1000);
    expect(Array.from(m.latencies)).toEqual([10, 30]);
    expect(m).toMatchObject({ expected: 3, received: 2, undelivered: 1 });
  });
});
