import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runNodeChild } from '@switchboard/shared/node-child';
import { describe, expect, it } from 'vitest';

const here = (file: string) => pathToFileURL(join(import.meta.dirname, file)).href;

describe('the embedded database thread', () => {
  it('loads no TypeScript, so Node never loads its type stripper in that thread', () => {
    // A preload (`--import` applies to worker threads too) lists the modules each worker loads.
    const hook = `
      import { registerHooks } from 'node:module';
      import { isMainThread } from 'node:worker_threads';
      if (!isMainThread) registerHooks({ load(url, context, next) { console.log('WORKER-LOAD ' + url); return next(url, context); } });
    `;
    const script = `
      import { ThreadedPGlite } from '${here('pglite-thread.ts')}';
      import { PGLITE_OPTIONS } from '${here('pglite-settings.ts')}';
      const db = await ThreadedPGlite.create(null, PGLITE_OPTIONS);
      console.log('ROWS ' + JSON.stringify((await db.query('select 1 as n')).rows));
      await db.close();
    `;
    const dir = mkdtempSync(join(tmpdir(), 'pglite-worker-'));
    let out: string;
    try {
      writeFileSync(join(dir, 'hook.mjs'), hook);
      writeFileSync(join(dir, 'script.mjs'), script);
      out = runNodeChild(['--import', pathToFileURL(join(dir, 'hook.mjs')).href, join(dir, 'script.mjs')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const loaded = out
      .split('\n')
      .filter((line) => line.startsWith('WORKER-LOAD '))
      .map((line) => line.slice(12));
    expect(loaded).toContain(here('pglite-worker.js'));
    expect(loaded.filter((url) => /\.[cm]?ts$/.test(url))).toEqual([]);
    expect(out).toContain('ROWS [{"n":1}]');
  });
});
