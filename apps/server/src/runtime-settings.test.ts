import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('keep the young generation of the server thread and of a worker thread (the database) at 2 × 8 MiB', () => {
    // Short-lived objects at a rate that grows V8's default young generation to its maximum.
    // (On a machine with little memory V8's default is that small already.)
    const script = `
      const { Worker } = require('node:worker_threads');
      const churn = () => { let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 200000) keep = []; } };
      const young = () => require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
      churn();
      const worker = new Worker(\`(\${churn})(); require('node:worker_threads').parentPort.postMessage((\${young})())\`, { eval: true });
      worker.once('message', (workerYoung) => { console.log(JSON.stringify({ main: young(), worker: workerYoung })); worker.terminate(); });
    `;
    const out = execFileSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', script], { encoding: 'utf8' });
    const young = JSON.parse(out) as { main: number; worker: number };
    expect(young.main).toBeLessThanOrEqual(16);
    expect(young.worker).toBeLessThanOrEqual(16);
  });
});
