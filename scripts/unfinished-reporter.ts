/**
 * A Vitest reporter that names the test files that never finished. When a test process dies
 * under a file (a native crash, a fatal V8 error, a signal), Vitest prints only "Worker exited
 * unexpectedly" and counts one file fewer in the summary, without saying which. This reporter
 * prints, at the very end of the run (the part of a CI log that is kept), each file that did
 * not reach a result, how long it had been running and which of its tests had not reported a
 * result (results travel in batches, so a test that passed just before the crash may be listed
 * too), so the crash can be looked for in that file's log lines. It prints nothing on a run where every
 * file finished.
 */
import type { Reporter, TestModule } from 'vitest/node';

const FINISHED = new Set(['passed', 'failed', 'skipped']);

export default class UnfinishedReporter implements Reporter {
  readonly #started = new Map<string, number>();

  onTestModuleStart(module: TestModule): void {
    this.#started.set(module.moduleId, Date.now());
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines = unfinishedReport(modules, this.#started, Date.now());
    if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  }
}

/** The report's lines: empty when every file finished. */
function unfinishedReport(
  modules: ReadonlyArray<TestModule>,
  started: ReadonlyMap<string, number>,
  now: number,
): string[] {
  const unfinished = modules.filter((m) => !FINISHED.has(m.state()));
  if (unfinished.length === 0) return [];
  const lines = [
    `Test files that never finished (their test process ended under them): ${unfinished.length}`,
  ];
  for (const module of unfinished) {
    const since = started.get(module.moduleId);
    const ran = since === undefined ? 'never started' : `ran ${((now - since) / 1000).toFixed(1)} s`;
    const project = module.project.name ? `${module.project.name} ` : '';
    lines.push(`  ${project}${module.relativeModuleId} (${module.state()}, ${ran})`);
    for (const test of module.children.allTests('pending')) lines.push(`    not finished: ${test.fullName}`);
  }
  return lines;
}
