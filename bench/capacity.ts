/**
 * Capacity per machine and per core: the largest step that met the SLO (relay p99 ≤ 20 ms, no
 * loss, no failed call: report.ts stepPasses) with every server process counted, divided by the
 * cores the server could use (its processes, at most the machine's cores). With one fixed step
 * (--calls N) this is a lower bound at that load, not the result of a sweep.
 */
import type { BenchOptions } from './options.ts';
import { maxConcurrentCalls } from './report.ts';
import { round } from './stats.ts';
import type { StepResult } from './step.ts';

export interface CapacityFigures {
  /** Server processes (WORKERS); 1 without --workers. */
  workers: number;
  database: 'pglite' | 'postgres';
  logicalCores: number;
  /** Cores the server's processes can use: min(workers, cores). */
  serverCores: number;
  /** Largest passing step, all processes together; null when none passed. */
  callsPerMachine: number | null;
  callsPerCore: number | null;
  /** `sweep` (several steps) or `fixed` (one step: a lower bound at that load). */
  method: 'sweep' | 'fixed';
}

export function capacityFigures(o: BenchOptions, steps: StepResult[], logicalCores: number): CapacityFigures {
  const workers = o.workers ?? 1;
  const serverCores = Math.max(1, Math.min(workers, logicalCores));
  const perMachine = maxConcurrentCalls(steps);
  return {
    workers,
    database: o.workers ? 'postgres' : 'pglite',
    logicalCores,
    serverCores,
    callsPerMachine: perMachine,
    callsPerCore: perMachine === null ? null : (round(perMachine / serverCores, 1) ?? null),
    method: steps.length > 1 ? 'sweep' : 'fixed',
  };
}

export function capacityLine(c: CapacityFigures | null): string {
  if (!c) return '';
  const fixed = c.method === 'fixed';
  const measured =
    c.callsPerMachine === null
      ? `none${fixed ? ' at this load (one fixed step, not a sweep)' : ''}`
      : `${c.callsPerMachine}${fixed ? ' (one fixed step: at least this many, not a sweep)' : ''}`;
  return (
    `Calls per machine at the SLO: ${measured}; ` +
    `${c.workers} server process${c.workers === 1 ? '' : 'es'} (${c.database}) on ${c.logicalCores} cores → ` +
    `${c.callsPerCore ?? '–'} calls per core`
  );
}
