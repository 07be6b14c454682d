/** Helpers of the load run (bench/run.ts): clock offsets, reply lengths, CPU pinning, RSS slope. */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { wallClockMs } from '@switchboard/testkit';
import type { Child } from './children.ts';
import type { BenchOptions } from './options.ts';
import { round } from './stats.ts';
import type { StepResult } from './step.ts';

/** Offset of a child's wall clock from ours (ms), from the fastest of several round trips. */
export async function clockOffset(child: Child): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: Number.NaN, rttMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 20; i++) {
    const t0 = wallClockMs();
    const theirs = await child.rpc.call<number>('clock');
    const t1 = wallClockMs();
    if (t1 - t0 < best.rttMs) best = { offsetMs: theirs - (t0 + t1) / 2, rttMs: t1 - t0 };
  }
  return { offsetMs: round(best.offsetMs, 3) ?? Number.NaN, rttMs: round(best.rttMs, 3) ?? Number.NaN };
}

export function replyLengths(o: BenchOptions): { greetingMs: number; replyMs: number } {
  if (o.pacing === 'paced') {
    // The agent talks for the whole call (worst case for the relay): replies outlast the call.
    const whole = (o.durationS + 10) * 1000;
    return { greetingMs: whole, replyMs: o.replyS === null ? whole : o.replyS * 1000 };
  }
  // Burst: the greeting is still queued at the caller when the interruption comes.
  return {
    greetingMs: ((o.bargeInAtS ?? 1) + 2) * 1000,
    replyMs: (o.replyS ?? 3) * 1000,
  };
}

/** `--pin`: the processes under test (server, reference relay) on CPU 0, the helpers on the other CPUs (Linux `taskset`). */
export function pinProcesses(serverPids: number[], helperPids: number[]): void {
  const cpus = availableParallelism();
  if (cpus < 2) throw new Error('--pin needs at least 2 CPUs');
  for (const pid of serverPids) execFileSync('taskset', ['-a', '-cp', '0', String(pid)], { stdio: 'ignore' });
  for (const pid of helperPids)
    execFileSync('taskset', ['-a', '-cp', `1-${cpus - 1}`, String(pid)], { stdio: 'ignore' });
}

/** Least-squares slope of the steps' peak RSS against their call count (KiB per call). */
export function rssSlope(steps: StepResult[]): number | null {
  if (steps.length < 2) return null;
  const xs = steps.map((s) => s.calls);
  const ys = steps.map((s) => s.resources.rssPeakBytes / 1024);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] as number) - my);
    den += (x - mx) ** 2;
  });
  return den > 0 ? round(num / den, 0) : null;
}
