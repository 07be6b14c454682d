/**
 * Latency and loss from tone-burst markers (the Gemini path, where audio is resampled and byte
 * tags cannot survive). See markers.ts for the method and its limits.
 */
import { GRACE_MS, type PathFigures } from './figures.ts';
import { type MatchedMarkers, matchMarkers, matchMarkersInOrder } from './markers.ts';
import type { CallResult, FakeCollect } from './protocol.ts';
import { LatencySamples } from './stats.ts';

/** All values of `parts`, ascending. */
function merged(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all.sort();
}

/**
 * The caller stamps a frame right after writing it (MediaStreamClient has no earlier hook), so a
 * stamp can trail the real send when the load generator is preempted in between: allow it.
 */
const SEND_STAMP_SLACK_MS = 5;

function sessionsByCall(fake: FakeCollect): Map<number, FakeCollect['sessions']> {
  const map = new Map<number, FakeCollect['sessions']>();
  for (const s of fake.sessions) {
    if (s.callId < 0) continue;
    const list = map.get(s.callId) ?? [];
    list.push(s);
    map.set(s.callId, list);
  }
  return map;
}

function total(
  parts: MatchedMarkers[],
  beforeModelReady: number,
  steady: [number, number] | null,
): PathFigures {
  const samples = new LatencySamples();
  for (const p of parts) {
    p.latencies.forEach((v, i) => {
      samples.push(p.sentAt[i] as number, v);
    });
  }
  return {
    latency: samples.all(),
    steadyLatency: samples.within(steady),
    expected: parts.reduce((n, p) => n + p.expected, 0),
    received: parts.reduce((n, p) => n + p.received, 0),
    lost: parts.reduce((n, p) => n + p.lost, 0),
    undelivered: parts.reduce((n, p) => n + p.undelivered, 0),
    reordered: 0,
    duplicated: parts.reduce((n, p) => n + p.spurious, 0),
    beforeModelReady,
  };
}

/**
 * Model → caller: bursts the fake emitted for each call vs burst onsets the caller heard.
 * `inOrder` for burst pacing, where a whole reply is emitted in one instant.
 */
export function analyzeBurstRelay(
  calls: CallResult[],
  fake: FakeCollect,
  inOrder: boolean,
  steady: [number, number] | null = null,
): PathFigures {
  const byCall = sessionsByCall(fake);
  const parts = calls.map((call) => {
    const emitted = merged((byCall.get(call.id) ?? []).map((s) => s.markerEmits));
    const until = call.stopWall - GRACE_MS;
    return inOrder
      ? matchMarkersInOrder(emitted, call.markerOnsets, until)
      : matchMarkers(emitted, call.markerOnsets, Number.NEGATIVE_INFINITY, until);
  });
  return total(parts, 0, steady);
}

/** Caller → model: bursts each caller sent vs burst onsets the fake received, once the model was live. */
export function analyzeBurstCallerToModel(
  calls: CallResult[],
  fake: FakeCollect,
  steady: [number, number] | null = null,
): PathFigures {
  const byCall = sessionsByCall(fake);
  let beforeModelReady = 0;
  const parts = calls.map((call) => {
    const onsets = merged((byCall.get(call.id) ?? []).map((s) => s.inOnsets));
    const sent = call.markerSent;
    // The burst behind the first onset: earlier ones went out while the model was connecting.
    let liveFrom = Number.POSITIVE_INFINITY;
    const first = onsets[0];
    if (first !== undefined) for (const s of sent) if (s <= first + SEND_STAMP_SLACK_MS) liveFrom = s;
    for (const s of sent) if (s < liveFrom) beforeModelReady++;
    return matchMarkers(sent, onsets, liveFrom, call.stopWall - GRACE_MS, SEND_STAMP_SLACK_MS);
  });
  return total(parts, beforeModelReady, steady);
}
