import { describe, expect, it } from 'vitest';
import { analyzeBargeIn, analyzeCallerToModel, analyzeCalls, analyzeRelay } from './analyze.ts';
import { CALLER_TAG_SPAN, type CallResult, type FakeCollect } from './protocol.ts';

const f64 = (xs: number[]) => Float64Array.from(xs);

function call(over: Partial<CallResult> = {}): CallResult {
  return {
    id: 1,
    callSid: 'CA1',
    ok: true,
    failure: null,
    startWall: 900,
    connectWall: 1000,
    stopWall: 10_000,
    relaySeq: f64([]),
    relayWall: f64([]),
    sentWall: f64([]),
    bargeIn: null,
    clears: f64([]),
    markerSent: f64([]),
    markerOnsets: f64([]),
    firstMediaWall: 1100,
    mediaFrames: 0,
    marksEchoed: 0,
    violations: 0,
    statusCallbackOk: true,
    ...over,
  };
}

function fake(over: Partial<FakeCollect> = {}): FakeCollect {
  return {
    fromSeq: 100,
    emitWall: f64([]),
    emitSession: Int32Array.from([]),
    expected: Uint8Array.from([]),
    sessions: [
      {
        index: 0,
        callId: 1,
        tagCallId: 1,
        inSeq: f64([]),
        inWall: f64([]),
        speechStarts: [],
        markerEmits: f64([]),
        inOnsets: f64([]),
        responses: 1,
        errors: [],
        closed: true,
      },
    ],
    eventLoop: { p50Ms: 0, p99Ms: 0, maxMs: 0 },
    ...over,
  };
}

describe('relay (model → caller)', () => {
  it('measures latency, loss, reordering and duplicates; ignores frames near the hang-up', () => {
    const fk = fake({
      emitWall: f64([2000, 2020, 2040, 2060, 2080, 2100, 9800]),
      emitSession: Int32Array.from([0, 0, 0, 0, 0, 0, 0]),
      expected: Uint8Array.from([1, 1, 1, 1, 1, 1, 1]),
    });
    // 100 twice, 102 before 101, 103 never arrives but 104 does (a hole), 105 never arrives (the
    // tail at hang-up), 106 emitted in the grace period before the hang-up.
    const c = call({
      relaySeq: f64([100, 100, 102, 101, 104]),
      relayWall: f64([2003, 2004, 2045, 2046, 2081]),
    });
    const r = analyzeRelay([c], fk);
    expect(r.received).toBe(4);
    expect(r.duplicated).toBe(1);
    expect(r.reordered).toBe(1);
    expect(r.expected).toBe(6);
    expect(r.lost).toBe(1);
    expect(r.undelivered).toBe(1);
    expect(r.latency.max).toBe(26);
  });

  it('does not expect frames the fake emitted after a barge-in of their response', () => {
    const fk = fake({
      emitWall: f64([2000]),
      emitSession: Int32Array.from([0]),
      expected: Uint8Array.from([0]),
    });
    expect(analyzeRelay([call()], fk)).toMatchObject({ expected: 0, lost: 0 });
  });
});

describe('caller → model', () => {
  it('skips frames sent before the model session was live, then counts gaps as loss', () => {
    const seq = (n: number) => CALLER_TAG_SPAN + n;
    const c = call({ sentWall: f64([1000, 1020, 1040, 1060, 1080]) });
    const fk = fake();
    const s = fk.sessions[0]!;
    s.inSeq = f64([seq(2), seq(4)]);
    s.inWall = f64([1041, 1083]);
    const r = analyzeCallerToModel([c], fk);
    expect(r.beforeModelReady).toBe(2);
    expect(r.expected).toBe(3);
    expect(r.lost).toBe(1);
    expect(r.latency.p50).toBe(1);
    expect(r.latency.max).toBe(3);
  });
});

describe('barge-in', () => {
  it('measures speech_started → clear and caller onset → clear', () => {
    const c = call({ bargeIn: { onsetWall: 5000, bufferedMs: 20 }, clears: f64([3000, 5052]) });
    const fk = fake();
    fk.sessions[0]!.speechStarts = [1500, 5045];
    const b = analyzeBargeIn([c], fk);
    expect(b).toMatchObject({ scripted: 1, detected: 1, cleared: 1, missedClear: 0 });
    expect(b.fromSpeechStarted.max).toBe(7);
    expect(b.fromCallerOnset.max).toBe(52);
  });

  it('tells a missing clear with audio queued from one with nothing to clear', () => {
    const queued = call({ id: 1, bargeIn: { onsetWall: 5000, bufferedMs: 40 } });
    const empty = call({ id: 2, bargeIn: { onsetWall: 5000, bufferedMs: 0 } });
    const fk = fake();
    fk.sessions = [
      { ...fk.sessions[0]!, index: 0, callId: 1, speechStarts: [5040] },
      { ...fk.sessions[0]!, index: 1, callId: 2, speechStarts: [5040] },
    ];
    expect(analyzeBargeIn([queued, empty], fk)).toMatchObject({
      cleared: 0,
      missedClear: 1,
      nothingQueued: 1,
    });
  });
});

describe('calls', () => {
  it('counts failures and finds the window when every call was up', () => {
    const a = call({ id: 1, connectWall: 1000, stopWall: 21_000 });
    const b = call({ id: 2, connectWall: 3000, stopWall: 23_000 });
    const failed = call({
      id: 3,
      ok: false,
      failure: 'webhook 403: no <Connect><Stream>',
      connectWall: Number.NaN,
    });
    const two = analyzeCalls([a, b]);
    expect(two.steadyWindow).toEqual([4000, 20_500]);
    expect(two.callSeconds).toBe(40);
    const three = analyzeCalls([a, b, failed]);
    expect(three).toMatchObject({ planned: 3, connected: 2, failed: 1, steadyWindow: null });
    expect(three.failures).toEqual({ 'webhook N: no <Connect><Stream>': 1 });
  });
});
