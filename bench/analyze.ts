/**
 * Joins what the load generator (caller side) and the fake model measured in one step into
 * the published figures: relay and caller→model latency, loss and reordering, barge-in
 * reaction and call failures. Pure functions over the IPC payloads (unit-tested).
 */
import { analyzeBurstCallerToModel, analyzeBurstRelay } from './analyze-bursts.ts';
import { CLEAR_WINDOW_MS, GRACE_MS, type PathFigures } from './figures.ts';
import { CALLER_TAG_SPAN, type CallResult, type FakeCollect } from './protocol.ts';
import { F64List, LatencySamples, type Summary, summarize } from './stats.ts';

export type { PathFigures } from './figures.ts';

export interface BargeInFigures {
  /** Calls that interrupted the agent as scripted. */
  scripted: number;
  /** … for which the fake model's VAD sent `speech_started`. */
  detected: number;
  /** … and the caller then received `clear`. */
  cleared: number;
  /** No `clear` although agent audio was still queued at the caller. */
  missedClear: number;
  /** No `clear`, nothing was queued at the caller (nothing to clear). */
  nothingQueued: number;
  /** `speech_started` sent by the model → `clear` received by the caller (the server's reaction). */
  fromSpeechStarted: Summary;
  /** First loud caller frame sent → `clear` received (adds the model's VAD time, 60 ms by design). */
  fromCallerOnset: Summary;
}

export interface CallFigures {
  planned: number;
  connected: number;
  failed: number;
  failures: Record<string, number>;
  /** Webhook sent → media stream started. */
  setupMs: Summary;
  /** Media stream started → first agent audio received (greeting through the whole stack). */
  firstAudioMs: Summary;
  /** Sum over calls of connected time, s. */
  callSeconds: number;
  /** All calls connected and none hung up yet (wall-clock ms), or null. */
  steadyWindow: [number, number] | null;
  statusCallbacksFailed: number;
  violations: number;
}

export interface SessionFigures {
  /** Model sessions opened (one per call, more after a reconnect). */
  opened: number;
  /** Sessions no call could be matched to. */
  unmatched: number;
  /** Sessions whose instructions and audio tags named different calls (a harness bug if > 0). */
  conflicting: number;
  /** Error events the fake model sent (e.g. invalid truncation), by code. */
  errors: Record<string, number>;
}

export interface StepFigures {
  calls: CallFigures;
  sessions: SessionFigures;
  relay: PathFigures;
  callerToModel: PathFigures;
  bargeIn: BargeInFigures;
}

/** Call ids of the fake's sessions (a call may have more than one after a reconnect). */
function sessionCalls(fake: FakeCollect): Map<number, number> {
  const map = new Map<number, number>();
  for (const s of fake.sessions) map.set(s.index, s.callId);
  return map;
}

export function analyzeRelay(
  calls: CallResult[],
  fake: FakeCollect,
  steady: [number, number] | null = null,
): PathFigures {
  const n = fake.emitWall.length;
  const recvWall = new Float64Array(n).fill(Number.NaN);
  const latency = new LatencySamples();
  let reordered = 0;
  let duplicated = 0;
  let received = 0;
  const lastSeqOf = new Map<number, number>();
  for (const call of calls) {
    let maxSeq = -1;
    for (let i = 0; i < call.relaySeq.length; i++) {
      const seq = call.relaySeq[i] as number;
      const wall = call.relayWall[i] as number;
      const k = seq - fake.fromSeq;
      if (k < 0 || k >= n) continue; // not from this step
      if (!Number.isNaN(recvWall[k] as number)) {
        duplicated++;
        continue;
      }
      if (seq < maxSeq) reordered++;
      maxSeq = Math.max(maxSeq, seq);
      recvWall[k] = wall;
      received++;
      latency.push(fake.emitWall[k] as number, wall - (fake.emitWall[k] as number));
    }
    lastSeqOf.set(call.id, maxSeq);
  }
  const stopOf = new Map(calls.map((c) => [c.id, c.stopWall]));
  const callOf = sessionCalls(fake);
  const lastStop = Math.max(...calls.map((c) => c.stopWall));
  let expected = 0;
  let lost = 0;
  let undelivered = 0;
  for (let k = 0; k < n; k++) {
    if (fake.expected[k] !== 1) continue;
    const callId = callOf.get(fake.emitSession[k] as number) ?? -1;
    const stop = stopOf.get(callId) ?? lastStop;
    if (!((fake.emitWall[k] as number) < stop - GRACE_MS)) continue;
    expected++;
    if (!Number.isNaN(recvWall[k] as number)) continue;
    if (fake.fromSeq + k < (lastSeqOf.get(callId) ?? -1)) lost++;
    else undelivered++;
  }
  return {
    latency: latency.all(),
    steadyLatency: latency.within(steady),
    expected,
    received,
    lost,
    undelivered,
    reordered,
    duplicated,
    beforeModelReady: 0,
  };
}

export function analyzeCallerToModel(
  calls: CallResult[],
  fake: FakeCollect,
  steady: [number, number] | null = null,
): PathFigures {
  const byId = new Map(calls.map((c) => [c.id, c]));
  const seen = new Map<number, Uint8Array>();
  const latency = new LatencySamples();
  let reordered = 0;
  let duplicated = 0;
  let received = 0;
  for (const s of fake.sessions) {
    let maxSeq = -1;
    for (let i = 0; i < s.inSeq.length; i++) {
      const seq = s.inSeq[i] as number;
      const callId = Math.floor(seq / CALLER_TAG_SPAN);
      const call = byId.get(callId);
      if (!call) continue;
      const frame = seq - callId * CALLER_TAG_SPAN;
      let marks = seen.get(callId);
      if (!marks) {
        marks = new Uint8Array(call.sentWall.length);
        seen.set(callId, marks);
      }
      if (marks[frame] === 1) {
        duplicated++;
        continue;
      }
      if (seq < maxSeq) reordered++;
      maxSeq = Math.max(maxSeq, seq);
      if (frame < marks.length) marks[frame] = 1;
      received++;
      const sent = call.sentWall[frame];
      if (sent !== undefined && !Number.isNaN(sent)) latency.push(sent, (s.inWall[i] as number) - sent);
    }
  }
  let expected = 0;
  let lost = 0;
  let undelivered = 0;
  let beforeModelReady = 0;
  for (const call of calls) {
    const marks = seen.get(call.id);
    const first = marks ? marks.indexOf(1) : -1;
    const last = marks ? marks.lastIndexOf(1) : -1;
    for (let f = 0; f < call.sentWall.length; f++) {
      const sent = call.sentWall[f] as number;
      if (!(sent < call.stopWall - GRACE_MS)) continue;
      if (first >= 0 && f < first) {
        beforeModelReady++;
        continue;
      }
      expected++;
      if (marks?.[f] === 1) continue;
      if (f < last) lost++;
      else undelivered++;
    }
  }
  return {
    latency: latency.all(),
    steadyLatency: latency.within(steady),
    expected,
    received,
    lost,
    undelivered,
    reordered,
    duplicated,
    beforeModelReady,
  };
}

export function analyzeBargeIn(calls: CallResult[], fake: FakeCollect): BargeInFigures {
  const speechByCall = new Map<number, number[]>();
  for (const s of fake.sessions) {
    if (s.callId < 0) continue;
    const list = speechByCall.get(s.callId) ?? [];
    list.push(...s.speechStarts);
    speechByCall.set(s.callId, list);
  }
  const fromSpeech = new F64List();
  const fromOnset = new F64List();
  const out = { scripted: 0, detected: 0, cleared: 0, missedClear: 0, nothingQueued: 0 };
  for (const call of calls) {
    const b = call.bargeIn;
    if (!b) continue;
    out.scripted++;
    const speech = (speechByCall.get(call.id) ?? [])
      .filter((t) => t >= b.onsetWall - 1)
      .sort((x, y) => x - y)[0];
    if (speech === undefined) continue;
    out.detected++;
    const clear = [...call.clears].find((t) => t >= b.onsetWall && t <= b.onsetWall + CLEAR_WINDOW_MS);
    if (clear === undefined) {
      if (b.bufferedMs > 0) out.missedClear++;
      else out.nothingQueued++;
      continue;
    }
    out.cleared++;
    fromSpeech.push(clear - speech);
    fromOnset.push(clear - b.onsetWall);
  }
  return {
    ...out,
    fromSpeechStarted: summarize(fromSpeech.toArray()),
    fromCallerOnset: summarize(fromOnset.toArray()),
  };
}

export function analyzeCalls(calls: CallResult[]): CallFigures {
  const failures: Record<string, number> = {};
  const setup = new F64List();
  const firstAudio = new F64List();
  let callSeconds = 0;
  let connected = 0;
  let lastConnect = -Infinity;
  let firstStop = Infinity;
  for (const c of calls) {
    if (c.failure) {
      const key = c.failure.replace(/\d{3,}/g, 'N');
      failures[key] = (failures[key] ?? 0) + 1;
    }
    if (Number.isNaN(c.connectWall)) continue;
    connected++;
    setup.push(c.connectWall - c.startWall);
    if (!Number.isNaN(c.firstMediaWall)) firstAudio.push(c.firstMediaWall - c.connectWall);
    callSeconds += Math.max(0, c.stopWall - c.connectWall) / 1000;
    lastConnect = Math.max(lastConnect, c.connectWall);
    firstStop = Math.min(firstStop, c.stopWall);
  }
  const steady: [number, number] | null =
    connected === calls.length && firstStop - lastConnect > 1_500
      ? [lastConnect + 1_000, firstStop - 500]
      : null;
  return {
    planned: calls.length,
    connected,
    failed: calls.filter((c) => !c.ok).length,
    failures,
    setupMs: summarize(setup.toArray()),
    firstAudioMs: summarize(firstAudio.toArray()),
    callSeconds,
    steadyWindow: steady,
    statusCallbacksFailed: calls.filter((c) => !Number.isNaN(c.connectWall) && !c.statusCallbackOk).length,
    violations: calls.reduce((n, c) => n + c.violations, 0),
  };
}

export function analyzeSessions(fake: FakeCollect): SessionFigures {
  const errors: Record<string, number> = {};
  for (const s of fake.sessions) for (const e of s.errors) errors[e] = (errors[e] ?? 0) + 1;
  return {
    opened: fake.sessions.length,
    unmatched: fake.sessions.filter((s) => s.callId < 0).length,
    conflicting: fake.sessions.filter((s) => s.tagCallId >= 0 && s.callId >= 0 && s.tagCallId !== s.callId)
      .length,
    errors,
  };
}

/**
 * `marks`: byte tags (OpenAI passthrough) or tone bursts (resampled paths; `burstPacing` when
 * the fake emits whole replies at once).
 */
export function analyzeStep(
  calls: CallResult[],
  fake: FakeCollect,
  marks: 'tags' | 'bursts' = 'tags',
  burstPacing = false,
): StepFigures {
  const tags = marks === 'tags';
  const callFigures = analyzeCalls(calls);
  const steady = callFigures.steadyWindow;
  return {
    calls: callFigures,
    sessions: analyzeSessions(fake),
    relay: tags ? analyzeRelay(calls, fake, steady) : analyzeBurstRelay(calls, fake, burstPacing, steady),
    callerToModel: tags
      ? analyzeCallerToModel(calls, fake, steady)
      : analyzeBurstCallerToModel(calls, fake, steady),
    bargeIn: analyzeBargeIn(calls, fake),
  };
}
