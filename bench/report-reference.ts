/**
 * The product against the in-run reference relay (bench/reference/), and with vs without the busy
 * dashboard: the ratios in the JSON and their terminal tables (docs/PERFORMANCE.md).
 */
import { round } from './stats.ts';
import type { StepResult } from './step.ts';
import { fixed, table } from './text-table.ts';
import { threadsJson } from './threads.ts';

/** Steady-window CPU ms per call-second when measured, else the whole step's. */
export function cpuPerCallSecond(s: StepResult): number {
  return s.resources.steadyCpuMsPerCallSecond ?? s.resources.serverCpuMsPerCallSecond;
}

const ratio = (a: number, b: number): number | null => (b > 0 && Number.isFinite(a) ? round(a / b, 2) : null);

export interface ReferenceComparison {
  /** Product ÷ reference, steady CPU ms per call-second (whole step when no steady window). */
  cpuPerCallSecondRatio: number | null;
  /** Same over the whole step (set-up and teardown included). */
  wholeStepCpuRatio: number | null;
  relayP99Ratio: number | null;
  /** Product relay p99 − reference relay p99, ms (the target: ≤ 1 ms). */
  relayP99DeltaMs: number | null;
  /**
   * The same difference in the steady window only (every call up): the relaying alone, without
   * the calls' arrival (set-up work on the server's thread) and teardown. Null without a window.
   */
  steadyRelayP99DeltaMs: number | null;
  reference: {
    callsConnected: number;
    callsFailed: number;
    protocolViolations: number;
    cpuMsPerCallSecond: number | null;
    steadyCpuMsPerCallSecond: number | null;
    cpuPercentOfOneCore: number | null;
    relayMs: { p50: number | null; p99: number | null; max: number | null };
    steadyRelayP99Ms: number | null;
    relayLost: number;
    callerToModelP99Ms: number | null;
    clearP99Ms: number | null;
    cleared: string;
    rssPeakMiB: number | null;
    rssPerCallKiB: number | null;
    threadsMsPerSecond: ReturnType<typeof threadsJson>;
  };
}

export function compareToReference(s: StepResult): ReferenceComparison | null {
  const ref = s.reference;
  if (!ref) return null;
  const rr = ref.figures.relay.latency;
  const pr = s.figures.relay.latency;
  const steadyProduct = steadyRelayP99(s);
  const steadyReference = steadyRelayP99(ref);
  return {
    cpuPerCallSecondRatio: ratio(cpuPerCallSecond(s), cpuPerCallSecond(ref)),
    wholeStepCpuRatio: ratio(s.resources.serverCpuMsPerCallSecond, ref.resources.serverCpuMsPerCallSecond),
    relayP99Ratio: ratio(pr.p99, rr.p99),
    relayP99DeltaMs: round(pr.p99 - rr.p99, 2),
    steadyRelayP99DeltaMs:
      steadyProduct === null || steadyReference === null ? null : round(steadyProduct - steadyReference, 2),
    reference: {
      callsConnected: ref.figures.calls.connected,
      callsFailed: ref.figures.calls.failed,
      protocolViolations: ref.figures.calls.violations,
      cpuMsPerCallSecond: round(ref.resources.serverCpuMsPerCallSecond, 3),
      steadyCpuMsPerCallSecond:
        ref.resources.steadyCpuMsPerCallSecond === null
          ? null
          : round(ref.resources.steadyCpuMsPerCallSecond, 3),
      cpuPercentOfOneCore: round(ref.resources.serverCpuPercent, 1),
      relayMs: { p50: round(rr.p50), p99: round(rr.p99), max: round(rr.max) },
      steadyRelayP99Ms: steadyReference === null ? null : round(steadyReference),
      relayLost: ref.figures.relay.lost + ref.figures.relay.undelivered,
      callerToModelP99Ms: round(ref.figures.callerToModel.latency.p99),
      clearP99Ms: round(ref.figures.bargeIn.fromSpeechStarted.p99),
      cleared: `${ref.figures.bargeIn.cleared}/${ref.figures.bargeIn.scripted}`,
      rssPeakMiB: round(ref.resources.rssPeakBytes / 2 ** 20, 1),
      rssPerCallKiB: round(ref.resources.rssPerCallBytes / 1024, 0),
      threadsMsPerSecond: threadsJson(ref.resources.threadsMsPerSecond),
    },
  };
}

/** The step's relay p99 with every call up; null when no frame fell in a steady window. */
function steadyRelayP99(s: StepResult): number | null {
  const steady = s.figures.relay.steadyLatency;
  return steady.count > 0 ? steady.p99 : null;
}

export function busyJson(s: StepResult) {
  if (!s.busy) return null;
  const b = s.busy.step;
  return {
    dashboard: s.busy.dashboard,
    relayMs: {
      p50: round(b.figures.relay.latency.p50),
      p99: round(b.figures.relay.latency.p99),
      max: round(b.figures.relay.latency.max),
    },
    relayP99WithoutMs: round(s.figures.relay.latency.p99),
    relayP99DeltaMs: round(b.figures.relay.latency.p99 - s.figures.relay.latency.p99, 2),
    relayLost: b.figures.relay.lost + b.figures.relay.undelivered,
    callerToModelP99Ms: round(b.figures.callerToModel.latency.p99),
    clearP99Ms: round(b.figures.bargeIn.fromSpeechStarted.p99),
    callsFailed: b.figures.calls.failed,
    cpuMsPerCallSecond: round(b.resources.serverCpuMsPerCallSecond, 3),
    cpuPercentOfOneCore: round(b.resources.serverCpuPercent, 1),
    rssPeakMiB: round(b.resources.rssPeakBytes / 2 ** 20, 1),
  };
}

// ── terminal ────────────────────────────────────────────────────────────────────────────────

const f = fixed;

export function referenceTable(steps: StepResult[]): string | null {
  const rows = steps.flatMap((s) => {
    const c = compareToReference(s);
    if (!c || !s.reference) return [];
    return [
      [
        String(s.calls),
        f(cpuPerCallSecond(s), 2),
        f(cpuPerCallSecond(s.reference), 2),
        f(c.cpuPerCallSecondRatio, 2),
        f(s.figures.relay.latency.p99),
        f(c.reference.relayMs.p99),
        f(c.relayP99Ratio, 2),
        f(c.relayP99DeltaMs),
        f(c.steadyRelayP99DeltaMs),
        f(s.resources.rssPeakBytes / 2 ** 20, 0),
        f(c.reference.rssPeakMiB, 0),
        `${c.reference.callsConnected - c.reference.callsFailed}/${s.calls}`,
      ],
    ];
  });
  if (rows.length === 0) return null;
  return [
    'Against the reference relay (same step, run right after; CPU ms per call-second in the steady window;\n' +
      'relay p99 over the whole step, calls arriving included; steady Δ: the p99 difference with every call up)',
    table(
      [
        'calls',
        'CPU ms/call-s',
        'reference',
        'ratio',
        'relay p99',
        'reference',
        'ratio',
        'Δ ms',
        'steady Δ',
        'RSS MiB',
        'reference',
        'ref ok',
      ],
      rows,
    ),
  ].join('\n');
}

export function busyTable(steps: StepResult[]): string | null {
  const rows = steps.flatMap((s) => {
    const b = busyJson(s);
    if (!b) return [];
    return [
      [
        String(s.calls),
        f(s.figures.relay.latency.p99),
        f(b.relayMs.p99),
        f(b.relayMs.max),
        String(b.relayLost),
        f(b.clearP99Ms),
        b.dashboard.importMs === null ? (b.dashboard.importError ?? '–') : f(b.dashboard.importMs, 0),
        `${b.dashboard.statsQueries} / ${f(b.dashboard.statsMs.p99, 0)}`,
      ],
    ];
  });
  if (rows.length === 0) return null;
  return [
    'Busy dashboard (same step again with a 5,000-row prospect import and stats queries during the calls)',
    table(
      [
        'calls',
        'relay p99 without',
        'with',
        'max with',
        'lost',
        'clear p99',
        'import ms',
        'stats queries / p99 ms',
      ],
      rows,
    ),
  ].join('\n');
}
