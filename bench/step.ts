/**
 * One ramp step: N concurrent calls. Samples the server's (and the helpers') CPU time and the
 * server's RSS from /proc while the load generator runs, then joins both sides' measurements.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { analyzeStep, type StepFigures } from './analyze.ts';
import type { BusyDashboardFigures } from './busy-dashboard.ts';
import type { Child } from './children.ts';
import { processCpuMs, processTreeCpuMs, processTreeRssBytes } from './proc.ts';
import type { FakeCollect, LoadPlan, LoadRunResult } from './protocol.ts';
import { type ThreadCpu, threadCpuMs, threadRates } from './threads.ts';

const SAMPLE_MS = 250;

export interface Sample {
  wall: number;
  serverCpuMs: number;
  serverThreads: ThreadCpu;
  serverRss: number;
  fakeCpuMs: number;
  loadCpuMs: number;
}

export interface ResourceFigures {
  /** Server CPU over the whole step (first webhook → last hang-up), ms. */
  serverCpuMs: number;
  stepWallMs: number;
  /** Server CPU ms per second of connected call, whole step (setup and teardown included). */
  serverCpuMsPerCallSecond: number;
  /** Same, only while every call was connected (steady state); null if there was no such window. */
  steadyCpuMsPerCallSecond: number | null;
  /** Server CPU in % of one core, steady state (else whole step). */
  serverCpuPercent: number;
  /** The server's CPU by kind of thread, ms per second, steady state (else whole step; null if too short). */
  threadsMsPerSecond: ThreadCpu | null;
  fakeCpuPercent: number;
  loadCpuPercent: number;
  rssBeforeBytes: number;
  rssPeakBytes: number;
  /**
   * (peak − the warmed-up idle server's RSS) / calls: an upper bound per call (the peak holds
   * garbage not yet collected). What a call retains: `node bench/call-memory.ts`.
   */
  rssPerCallBytes: number;
  loadAvgBefore: number[];
  loadAvgAfter: number[];
}

export interface StepResult {
  calls: number;
  figures: StepFigures;
  resources: ResourceFigures;
  eventLoop: { fake: FakeCollect['eventLoop']; load: LoadRunResult['eventLoop'] };
  /** The same step against the reference relay, run right after (bench/reference/). */
  reference?: StepResult;
  /** The same step again with the busy dashboard (`--busy-dashboard`), and what the dashboard saw. */
  busy?: { step: StepResult; dashboard: BusyDashboardFigures };
}

export interface StepContext {
  serverPid: number;
  fake: Child;
  load: Child;
  plan: Omit<LoadPlan, 'calls' | 'firstCallId' | 'arrivalMs'>;
  arrivalMs: (calls: number) => number;
  /** The fake emits whole replies at once (for matching burst markers). */
  burstPacing: boolean;
  /** RSS of the warmed-up server with no call (bytes). */
  idleRssBytes: number;
}

function sample(ctx: StepContext): Sample {
  return {
    wall: Date.now(),
    // The server's process and its children: with --workers, the cluster primary and every worker.
    serverCpuMs: processTreeCpuMs(ctx.serverPid),
    serverThreads: threadCpuMs(ctx.serverPid),
    serverRss: processTreeRssBytes(ctx.serverPid),
    fakeCpuMs: processCpuMs(ctx.fake.pid),
    loadCpuMs: processCpuMs(ctx.load.pid),
  };
}

/** The first and last samples inside `[from, to]`, when at least 0.5 s apart. */
function bounds(samples: Sample[], from: number, to: number): [Sample, Sample] | null {
  const inside = samples.filter((s) => s.wall >= from && s.wall <= to);
  const a = inside[0];
  const b = inside.at(-1);
  return a && b && b.wall - a.wall >= 500 ? [a, b] : null;
}

/** CPU used between the samples nearest to `[from, to]` (inside it), per ms of wall time. */
function rateWithin(
  samples: Sample[],
  from: number,
  to: number,
  key: 'serverCpuMs' | 'fakeCpuMs' | 'loadCpuMs',
): number {
  const ab = bounds(samples, from, to);
  return ab ? (ab[1][key] - ab[0][key]) / (ab[1].wall - ab[0].wall) : Number.NaN;
}

/** Debugging aid: `BENCH_DUMP=<dir>` writes each step's raw measurements as JSON. */
function dumpRaw(dir: string, calls: number, run: LoadRunResult, fake: FakeCollect): void {
  const plain = (_k: string, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `step-${calls}-${Date.now()}.raw.json`), JSON.stringify({ run, fake }, plain));
}

export async function runStep(ctx: StepContext, calls: number, firstCallId: number): Promise<StepResult> {
  await ctx.fake.rpc.call('resetLoop');
  const loadAvgBefore = loadavg();
  const before = sample(ctx);
  const samples: Sample[] = [before];
  const timer = setInterval(() => samples.push(sample(ctx)), SAMPLE_MS);
  const plan: LoadPlan = { ...ctx.plan, calls, firstCallId, arrivalMs: ctx.arrivalMs(calls) };
  let run: LoadRunResult;
  try {
    run = await ctx.load.rpc.call<LoadRunResult>('run', plan, plan.durationMs + plan.arrivalMs + 120_000);
  } finally {
    clearInterval(timer);
  }
  const after = sample(ctx);
  samples.push(after);
  // Let the last frames and hang-ups settle before reading the fake's side.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const fake = await ctx.fake.rpc.call<FakeCollect>('collect', null, 60_000);
  if (process.env.BENCH_DUMP) dumpRaw(process.env.BENCH_DUMP, calls, run, fake);
  const figures = analyzeStep(run.calls, fake, ctx.plan.marks, ctx.burstPacing);

  const wallMs = after.wall - before.wall;
  const serverCpuMs = after.serverCpuMs - before.serverCpuMs;
  const window = figures.calls.steadyWindow;
  // Samples use Date.now(); the window is on the high-resolution wall clock (same epoch).
  const steadyRate = window ? rateWithin(samples, window[0], window[1], 'serverCpuMs') : Number.NaN;
  const pct = (key: 'serverCpuMs' | 'fakeCpuMs' | 'loadCpuMs') => {
    const r = window ? rateWithin(samples, window[0], window[1], key) : Number.NaN;
    return (Number.isNaN(r) ? (after[key] - before[key]) / wallMs : r) * 100;
  };
  const [ta, tb] = (window && bounds(samples, window[0], window[1])) || [before, after];
  const rssPeak = Math.max(...samples.map((s) => s.serverRss).filter((v) => !Number.isNaN(v)));
  const resources: ResourceFigures = {
    serverCpuMs,
    stepWallMs: wallMs,
    serverCpuMsPerCallSecond: serverCpuMs / Math.max(1e-9, figures.calls.callSeconds),
    steadyCpuMsPerCallSecond: Number.isNaN(steadyRate) ? null : (steadyRate * 1000) / calls,
    serverCpuPercent: pct('serverCpuMs'),
    threadsMsPerSecond: threadRates(ta.serverThreads, tb.serverThreads, tb.wall - ta.wall),
    fakeCpuPercent: pct('fakeCpuMs'),
    loadCpuPercent: pct('loadCpuMs'),
    rssBeforeBytes: before.serverRss,
    rssPeakBytes: rssPeak,
    rssPerCallBytes: (rssPeak - ctx.idleRssBytes) / calls,
    loadAvgBefore,
    loadAvgAfter: loadavg(),
  };
  return { calls, figures, resources, eventLoop: { fake: fake.eventLoop, load: run.eventLoop } };
}
