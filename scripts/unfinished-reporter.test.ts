/**
 * The unfinished-file reporter, on a real Vitest run whose test process is killed under one
 * file: the end of the output names that file and its unfinished test; a clean run adds nothing.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
const CONFIG = join(ROOT, 'scripts/fixtures/vitest.fixture.config.ts');

function runFixture(files: 'all' | 'ok'): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const env = { ...process.env, FIXTURE_FILES: files, NO_COLOR: '1', FORCE_COLOR: '0' };
    execFile(
      process.execPath,
      [VITEST, 'run', '--config', CONFIG],
      { cwd: ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('unfinished-file reporter', { timeout: 60_000 }, () => {
  it('names the file whose test process died, and the test that was running', async () => {
    const { code, output } = await runFixture('all');
    expect(code).toBe(1);
    expect(output).toMatch(/Worker exited unexpectedly/);
    const report = output.slice(output.indexOf('Test files that never finished'));
    expect(report).toMatch(/^Test files that never finished \(their test process ended under them\): 1$/m);
    expect(report).toMatch(/crash\.fixture\.ts \(\w+, ran \d+\.\d s\)/);
    expect(report).toMatch(/not finished: is running when its process is killed/);
    expect(report).not.toMatch(/ok\.fixture/);
  });

  it('adds nothing to a run where every file finished', async () => {
    const { code, output } = await runFixture('ok');
    expect(code).toBe(0);
    expect(output).toMatch(/1 passed/);
    expect(output).not.toMatch(/never finished/);
  });
});
