import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runNodeChild } from '@switchboard/shared/node-child';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS, SERVER_PROCESS_ENV } from './runtime-settings.ts';

const ROOT = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('production runtime settings', () => {
  it('are how npm start, the Dockerfile and the bench start the server', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
    for (const [name, value] of Object.entries(SERVER_PROCESS_ENV))
      expect(start).toContain(`${name}=\${${name}:-${value}}`);
    expect(start).toContain(`node ${SERVER_NODE_FLAGS.join(' ')} apps/server/src/main.ts`);

    const dockerfile = read('Dockerfile');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    for (const [name, value] of Object.entries(SERVER_PROCESS_ENV))
      expect(runtime).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
    const cmd = JSON.stringify(['node', ...SERVER_NODE_FLAGS, 'apps/server/src/main.ts']).replace(/,/g, ', ');
    expect(runtime).toContain(`CMD ${cmd}`);

    const bench = read('bench/server-process.ts');
    expect(bench).toMatch(/\.\.\.\(RUNTIME_SETTINGS \? SERVER_PROCESS_ENV : \{\}\)/);
    expect(bench).toMatch(/\.\.\.\(RUNTIME_SETTINGS \? SERVER_NODE_FLAGS : \[\]\)/);
  });

  it('keep the young generation of the server thread and of a worker thread (the database) at 2 × 4 MiB', () => {
    // Short-lived objects at a rate that grows V8's default young generation to its maximum.
    // (On a machine with little memory V8's default is that small already.)
    const script = `
      const { Worker } = require('node:worker_threads');
      const churn = () => { let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 200000) keep = []; } };
      const size = () => require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
      // The smallest of five reads 10 ms apart: a read during a scavenge counts the pages being
      // evacuated too (11.25–13.25 MiB seen on a slow host), the young generation's size does not.
      const young = async () => { let min = Infinity; for (let i = 0; i < 5; i++) { min = Math.min(min, size()); await new Promise((r) => setTimeout(r, 10)); } return min; };
      churn();
      const worker = new Worker(\`const size = \${size}; (\${churn})(); (\${young})().then((v) => require('node:worker_threads').parentPort.postMessage(v))\`, { eval: true });
      worker.once('message', async (workerYoung) => { console.log(JSON.stringify({ main: await young(), worker: workerYoung })); worker.terminate(); });
    `;
    const out = runNodeChild([...SERVER_NODE_FLAGS, '-e', script]);
    const young = JSON.parse(out) as { main: number; worker: number };
    // Two 4 MiB semi-spaces: 8 MiB (8.25 and 9.5 seen under CI load); the old flag (8) or V8's
    // default would give 16 or more in every read.
    expect(young.main).toBeLessThan(12);
    expect(young.worker).toBeLessThan(12);
  });

  it('let the embedded database thread return a 100,000-row result and take a 5,000-row transaction', () => {
    const thread = pathToFileURL(join(ROOT, 'packages/db/src/pglite-thread.ts')).href;
    const settings = pathToFileURL(join(ROOT, 'packages/db/src/pglite-settings.ts')).href;
    const script = `
      import { ThreadedPGlite } from '${thread}';
      import { PGLITE_OPTIONS } from '${settings}';
      const db = await ThreadedPGlite.create(null, PGLITE_OPTIONS);
      await db.exec('create table t (id int primary key, s text)');
      await db.transaction(async (tx) => {
        for (let i = 0; i < 5000; i++) await tx.query('insert into t values ($1, $2)', [i, 'row ' + i]);
      });
      const big = await db.query("select g as n, repeat('x', 40) || g as s from generate_series(1, 100000) g");
      const count = await db.query('select count(*)::int as n from t');
      console.log(JSON.stringify({ rows: big.rows.length, last: big.rows.at(-1), inserted: count.rows[0].n }));
      await db.close();
    `;
    // A file, not `-e`: the worker thread inherits the process's flags, and `--input-type` needs `-e`.
    const dir = mkdtempSync(join(tmpdir(), 'runtime-settings-'));
    const file = join(dir, 'large-result.mjs');
    writeFileSync(file, script);
    let out: string;
    try {
      out = runNodeChild([...SERVER_NODE_FLAGS, file], { ...process.env, ...SERVER_PROCESS_ENV });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(JSON.parse(out)).toEqual({
      rows: 100_000,
      last: { n: 100_000, s: `${'x'.repeat(40)}100000` },
      inserted: 5000,
    });
  }, 60_000);
});
