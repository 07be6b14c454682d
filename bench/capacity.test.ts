import { describe, expect, it } from 'vitest';
import { capacityFigures, capacityLine } from './capacity.ts';
import { parseOptions } from './options.ts';
import type { StepResult } from './step.ts';

/** A step with just the figures the SLO check reads. */
function step(calls: number, p99: number): StepResult {
  const path = { lost: 0, undelivered: 0, reordered: 0 };
  return {
    calls,
    figures: {
      calls: { failed: 0, connected: calls, planned: calls },
      relay: { ...path, latency: { count: 100, p99 } },
      callerToModel: path,
    },
  } as unknown as StepResult;
}

describe('capacity per machine and per core', () => {
  it('divides the largest passing step by the cores the workers can use', () => {
    const options = parseOptions(['--ramp', '50,100,150', '--workers', '4']);
    if (options === 'help') throw new Error('unexpected help');
    const figures = capacityFigures(options, [step(50, 5), step(100, 12), step(150, 40)], 2);
    expect(figures).toEqual({
      workers: 4,
      database: 'postgres',
      logicalCores: 2,
      serverCores: 2,
      callsPerMachine: 100,
      callsPerCore: 50,
      method: 'sweep',
    });
    expect(capacityLine(figures)).toBe(
      'Calls per machine at the SLO: 100; 4 server processes (postgres) on 2 cores → 50 calls per core',
    );
  });

  it('calls one step a lower bound, and reports none when no step met the SLO', () => {
    const options = parseOptions(['--calls', '20']);
    if (options === 'help') throw new Error('unexpected help');
    const figures = capacityFigures(options, [step(20, 300)], 2);
    expect(figures).toMatchObject({ workers: 1, database: 'pglite', serverCores: 1, callsPerMachine: null });
    expect(capacityLine(figures)).toContain('none at this load (one fixed step, not a sweep)');
  });
});
