import { describe, expect, it } from 'vitest';
import type { StepResult } from './step.ts';
import {
  addThreadStat,
  NO_THREAD_CPU,
  threadCpuMs,
  threadKind,
  threadRates,
  threadsJson,
  threadsTable,
} from './threads.ts';

/** A `/proc/<pid>/task/<tid>/stat` line with this name and utime/stime (fields 14 and 15). */
const stat = (tid: number, comm: string, utime: number, stime: number) =>
  `${tid} (${comm}) S 1 1 1 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 12 0 100 1000 200`;

describe('CPU by kind of thread', () => {
  it('names the main thread by its id and the others by the names Node gives them', () => {
    expect(threadKind(100, 100, 'node')).toBe('main');
    expect(threadKind(101, 100, 'WorkerThread')).toBe('workers');
    expect(threadKind(102, 100, 'V8Worker')).toBe('v8');
    expect(threadKind(103, 100, 'libuv-worker')).toBe('other');
  });

  it('sums the threads of a process by kind, the main thread user and system apart', () => {
    const t = { ...NO_THREAD_CPU };
    addThreadStat(t, 100, 100, stat(100, 'MainThread', 30, 12));
    addThreadStat(t, 101, 100, stat(101, 'V8Worker', 2, 1));
    addThreadStat(t, 102, 100, stat(102, 'V8Worker', 4, 0));
    addThreadStat(t, 103, 100, stat(103, 'WorkerThread', 5, 1));
    // A name with spaces and parentheses does not shift the fields.
    addThreadStat(t, 104, 100, stat(104, 'odd (name) x', 7, 0));
    expect(t).toEqual({ mainUser: 30, mainSystem: 12, workers: 6, v8: 7, other: 7 });
  });

  it('turns two samples into ms per second, clamping a kind whose thread ended at zero', () => {
    const a = { mainUser: 100, mainSystem: 50, workers: 40, v8: 10, other: 5 };
    const b = { mainUser: 300, mainSystem: 150, workers: 30, v8: 30, other: 5 };
    expect(threadRates(a, b, 2000)).toEqual({ mainUser: 100, mainSystem: 50, workers: 0, v8: 10, other: 0 });
    expect(threadRates(a, b, 100)).toBeNull();
  });

  it.runIf(process.platform === 'linux')('reads this process from /proc: the main thread has run', () => {
    const t = threadCpuMs(process.pid);
    expect(t.mainUser + t.mainSystem).toBeGreaterThan(0);
    expect(threadsJson(t)?.total).toBeGreaterThanOrEqual(t.mainUser);
  });

  it('tables the product beside the reference relay', () => {
    const t = { mainUser: 197, mainSystem: 74, workers: 9, v8: 21, other: 0 };
    const r = { mainUser: 147, mainSystem: 114, workers: 0, v8: 8, other: 0 };
    const step = {
      calls: 50,
      resources: { threadsMsPerSecond: t },
      reference: { resources: { threadsMsPerSecond: r } },
    } as unknown as StepResult;
    const text = threadsTable([step]) ?? '';
    expect(text).toMatch(/50\s+product\s+197\.0\s+74\.0\s+9\.0\s+21\.0\s+0\.0\s+301\.0/);
    expect(text).toMatch(/50\s+reference\s+147\.0\s+114\.0\s+0\.0\s+8\.0\s+0\.0\s+269\.0/);
    expect(
      threadsTable([{ calls: 5, resources: { threadsMsPerSecond: null } } as unknown as StepResult]),
    ).toBeNull();
  });
});
