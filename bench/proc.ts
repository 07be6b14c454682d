/**
 * Measuring a process from the outside (Linux): CPU time from `/proc/<pid>/stat` (utime +
 * stime) and resident memory from `/proc/<pid>/status` (VmRSS). Nothing runs inside the
 * measured process.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** utime and stime (clock ticks) from the text of `/proc/<pid>/stat`. */
export function parseProcStat(text: string): { utime: number; stime: number } {
  // Field 2 (comm) is in parentheses and may contain spaces: split after the last ')'.
  const rest = text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field n is rest[n - 3]: utime = 14, stime = 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc stat line');
  return { utime, stime };
}

/** VmRSS in bytes from the text of `/proc/<pid>/status` (NaN if absent). */
export function parseVmRss(text: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

let ticksPerSecond: number | undefined;

/** `sysconf(_SC_CLK_TCK)`, normally 100. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU time (user + system) of `pid` so far, in ms; NaN when the process is gone. */
export function processCpuMs(pid: number): number {
  try {
    const { utime, stime } = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return ((utime + stime) * 1000) / clockTicksPerSecond();
  } catch {
    return Number.NaN;
  }
}

/** Resident set size of `pid` in bytes; NaN when the process is gone. */
export function processRssBytes(pid: number): number {
  try {
    return parseVmRss(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return Number.NaN;
  }
}

/** `pid` and its descendants (a WORKERS cluster: the primary and its workers), from /proc. */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    const at = all[i] as number;
    try {
      const children = readFileSync(`/proc/${at}/task/${at}/children`, 'utf8').trim();
      if (children) all.push(...children.split(/\s+/).map(Number));
    } catch {
      // gone, or a kernel without the children file: the process alone
    }
  }
  return all;
}

/** CPU time of `pid` and its descendants so far, in ms (processes gone since are not counted). */
export function processTreeCpuMs(pid: number): number {
  const [first, ...rest] = processTree(pid).map(processCpuMs);
  return rest.reduce((sum, ms) => (Number.isNaN(ms) ? sum : sum + ms), first ?? Number.NaN);
}

/** Resident memory of `pid` and its descendants, in bytes. */
export function processTreeRssBytes(pid: number): number {
  const [first, ...rest] = processTree(pid).map(processRssBytes);
  return rest.reduce((sum, bytes) => (Number.isNaN(bytes) ? sum : sum + bytes), first ?? Number.NaN);
}
