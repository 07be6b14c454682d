/**
 * A measured process's CPU by kind of thread, from `/proc/<pid>/task/<tid>/stat` (Linux): the
 * main thread (user and system time apart), Node worker threads (the embedded database's thread,
 * the prospect import's), V8's platform threads (concurrent GC, background compiles) and the
 * rest (libuv's pool, signal and inspector threads). Node names its threads `MainThread`,
 * `WorkerThread`, `V8Worker`, `libuv-worker`; the main thread is the one whose id is the pid.
 * The bench samples it with the process CPU, so each step reports where the steady window's CPU
 * went, for the product and for the reference relay (docs/PERFORMANCE.md, "Figures").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { clockTicksPerSecond, parseProcStat, processTree } from './proc.ts';
import { round } from './stats.ts';
import type { StepResult } from './step.ts';
import { fixed, table } from './text-table.ts';

/** CPU time by kind of thread: cumulative ms in a sample, ms per second of wall time in a rate. */
export interface ThreadCpu {
  mainUser: number;
  mainSystem: number;
  /** Node worker threads: the embedded database (PGlite), the prospect import. */
  workers: number;
  /** V8's platform threads: concurrent and parallel GC, background compilation. */
  v8: number;
  other: number;
}

export const NO_THREAD_CPU: ThreadCpu = { mainUser: 0, mainSystem: 0, workers: 0, v8: 0, other: 0 };

const KINDS = Object.keys(NO_THREAD_CPU) as (keyof ThreadCpu)[];

/** A ThreadCpu whose every figure is `value(kind)`. */
function eachKind(value: (kind: keyof ThreadCpu) => number): ThreadCpu {
  const out = { ...NO_THREAD_CPU };
  for (const kind of KINDS) out[kind] = value(kind);
  return out;
}

/** Which kind a thread is, from its id, its process's id and its name (`comm`). */
export function threadKind(tid: number, pid: number, comm: string): 'main' | 'workers' | 'v8' | 'other' {
  if (tid === pid) return 'main';
  if (comm === 'WorkerThread') return 'workers';
  if (comm === 'V8Worker') return 'v8';
  return 'other';
}

/** Adds one thread's `/proc/.../stat` line to `into` (ticks, not ms). */
export function addThreadStat(into: ThreadCpu, tid: number, pid: number, statLine: string): void {
  const comm = statLine.slice(statLine.indexOf('(') + 1, statLine.lastIndexOf(')'));
  const { utime, stime } = parseProcStat(statLine);
  const kind = threadKind(tid, pid, comm);
  if (kind === 'main') {
    into.mainUser += utime;
    into.mainSystem += stime;
  } else {
    into[kind] += utime + stime;
  }
}

/** CPU so far of `pid` and its descendants by kind of thread, ms (threads gone since are not counted). */
export function threadCpuMs(pid: number): ThreadCpu {
  const ticks = { ...NO_THREAD_CPU };
  for (const p of processTree(pid)) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      continue; // gone
    }
    for (const tid of tids) {
      try {
        addThreadStat(ticks, Number(tid), p, readFileSync(`/proc/${p}/task/${tid}/stat`, 'utf8'));
      } catch {
        // the thread ended between the listing and the read
      }
    }
  }
  const ms = 1000 / clockTicksPerSecond();
  return eachKind((kind) => ticks[kind] * ms);
}

/**
 * ms of CPU per second of wall time between two samples, by kind. A thread that ended between
 * them takes its time along, so a kind's difference can come out negative: it is clamped at 0.
 */
export function threadRates(a: ThreadCpu, b: ThreadCpu, wallMs: number): ThreadCpu | null {
  if (!(wallMs >= 500)) return null;
  return eachKind((kind) => Math.max(0, ((b[kind] - a[kind]) * 1000) / wallMs));
}

export function threadTotal(t: ThreadCpu): number {
  return KINDS.reduce((sum, kind) => sum + t[kind], 0);
}

/** The JSON form (ms per second, one decimal, with the total); null when not measured. */
export function threadsJson(t: ThreadCpu | null | undefined) {
  if (!t) return null;
  const json = {} as Record<keyof ThreadCpu | 'total', number | null>;
  for (const kind of KINDS) json[kind] = round(t[kind], 1);
  json.total = round(threadTotal(t), 1);
  return json;
}

/** Product and reference relay side by side, per step; null when no step has the figures. */
export function threadsTable(steps: StepResult[]): string | null {
  const row = (calls: number, who: string, t: ThreadCpu | null | undefined) =>
    t ? [String(calls), who, ...[...KINDS.map((kind) => t[kind]), threadTotal(t)].map((v) => fixed(v))] : [];
  const rows = steps.flatMap((s) =>
    [
      row(s.calls, 'product', s.resources.threadsMsPerSecond),
      row(s.calls, 'reference', s.reference?.resources.threadsMsPerSecond),
    ].filter((r) => r.length > 0),
  );
  if (rows.length === 0) return null;
  return [
    'CPU by thread (ms per second of wall time, steady window; main = the event loop that relays audio;\n' +
      'workers = worker threads: the embedded database, imports; V8 = its GC and compiler threads)',
    table(['calls', 'process', 'main user', 'main system', 'workers', 'V8', 'other', 'total'], rows),
  ].join('\n');
}
