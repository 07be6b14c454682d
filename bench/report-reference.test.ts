import { describe, expect, it } from 'vitest';
import type { BenchOptions } from './options.ts';
import { checkTargets } from './report.ts';
import { busyJson, busyTable, compareToReference, referenceTable } from './report-reference.ts';
import { summarize } from './stats.ts';
import type { StepResult } from './step.ts';

function path(latencies: number[]) {
  const s = summarize(latencies);
  return {
    latency: s,
    steadyLatency: s,
    expected: latencies.length,
    received: latencies.length,
    lost: 0,
    undelivered: 0,
    reordered: 0,
    duplicated: 0,
    beforeModelReady: 0,
  };
}

function step(calls: number, cpu: number, steady: number | null, relay: number[]): StepResult {
  return {
    calls,
    figures: {
      calls: { planned: calls, connected: calls, failed: 0, violations: 0 },
      relay: path(relay),
      callerToModel: path([1, 2]),
      bargeIn: {
        scripted: calls,
        cleared: calls,
        missedClear: 0,
        fromSpeechStarted: summarize([2, 4]),
        fromCallerOnset: summarize([40, 45]),
      },
    },
    resources: {
      serverCpuMsPerCallSecond: cpu,
      steadyCpuMsPerCallSecond: steady,
      serverCpuPercent: 20,
      rssPeakBytes: 100 * 2 ** 20,
      rssPerCallBytes: 2048,
    },
    eventLoop: {},
  } as unknown as StepResult;
}

describe('comparison with the reference relay', () => {
  it('reports the product as a ratio of the reference measured in the same run', () => {
    const product = step(50, 9, 8, [1, 2, 3, 10]);
    product.reference = step(50, 5, 4, [1, 1, 2, 4]);
    const c = compareToReference(product);
    expect(c).toMatchObject({
      cpuPerCallSecondRatio: 2,
      wholeStepCpuRatio: 1.8,
      relayP99Ratio: 2.5,
      relayP99DeltaMs: 6,
      steadyRelayP99DeltaMs: 6,
      reference: { steadyCpuMsPerCallSecond: 4, relayMs: { p99: 4 }, steadyRelayP99Ms: 4, cleared: '50/50' },
    });
    expect(referenceTable([product])).toContain('2.00');
  });

  it('separates the relaying with every call up from the calls arriving', () => {
    // The product's tail is all in the arrival: with every call up it relays like the reference.
    const product = step(50, 9, 8, [1, 2, 3, 60]);
    product.figures.relay.steadyLatency = summarize([1, 2, 3, 3]);
    product.reference = step(50, 5, 4, [1, 1, 2, 4]);
    product.reference.figures.relay.steadyLatency = summarize([1, 1, 2, 2.5]);
    expect(compareToReference(product)).toMatchObject({
      relayP99DeltaMs: 56,
      steadyRelayP99DeltaMs: 0.5,
      reference: { steadyRelayP99Ms: 2.5 },
    });
    expect(referenceTable([product])).toMatch(/steady Δ/);
    // No frame in a steady window: no steady figure rather than a made-up one.
    product.figures.relay.steadyLatency = summarize([]);
    expect(compareToReference(product)).toMatchObject({
      steadyRelayP99DeltaMs: null,
      reference: { steadyRelayP99Ms: 2.5 },
    });
  });

  it('falls back to the whole step without a steady window, and is absent without a reference', () => {
    const product = step(4, 9, null, [1]);
    product.reference = step(4, 3, null, [1]);
    expect(compareToReference(product)?.cpuPerCallSecondRatio).toBe(3);
    expect(compareToReference(step(4, 1, 1, [1]))).toBeNull();
    expect(referenceTable([step(4, 1, 1, [1])])).toBeNull();
  });

  it('reports relay p99 with and without the busy dashboard', () => {
    const plain = step(25, 7, 7, [1, 2, 5]);
    plain.busy = {
      step: step(25, 9, 9, [1, 900, 1800]),
      dashboard: {
        importRows: 5000,
        importMs: 1880,
        importCreated: 5000,
        importError: null,
        statsQueries: 9,
        statsFailed: 0,
        statsMs: { p50: 20, p99: 1000, max: 1000 },
      },
    };
    expect(busyJson(plain)).toMatchObject({
      relayP99WithoutMs: 5,
      relayMs: { p99: 1800 },
      relayP99DeltaMs: 1795,
    });
    expect(busyTable([plain])).toContain('1800.0');
    expect(busyJson(step(25, 1, 1, [1]))).toBeNull();
  });

  it('says when the reference relay missed the capacity SLO at the same step too', () => {
    const opts = { provider: 'openai', pacing: 'paced' } as BenchOptions;
    const capacity = (reference: StepResult) => {
      const product = step(200, 5, 4, [1, 2, 61.2]);
      product.reference = reference;
      return checkTargets(opts, [step(150, 5, 4, [1, 2, 19]), product], [])[0];
    };
    expect(capacity(step(200, 4, 4, [1, 2, 54.4]))).toMatchObject({
      measured: '150 calls',
      met: false,
      note: 'the reference relay missed it too at 200 calls (relay p99 54.4 ms, 0 frames lost): a limit of this machine, not only of the server',
    });
    expect(capacity(step(200, 4, 4, [1, 2, 9]))).not.toHaveProperty('note');
    const failing = step(200, 4, 4, [1, 2, 9]);
    // Three calls failed, two of them before connecting: counted once each.
    failing.figures.calls.failed = 3;
    failing.figures.calls.connected = 198;
    failing.figures.relay.lost = 14;
    expect(capacity(failing)?.note).toContain('(relay p99 9 ms, 14 frames lost, 3 calls failed)');
    // A ramp that stopped short still says so.
    expect(checkTargets(opts, [step(150, 5, 4, [1, 2, 19])], [])[0]).toMatchObject({
      met: null,
      note: 'the ramp stopped below 200 calls',
    });
  });
});
