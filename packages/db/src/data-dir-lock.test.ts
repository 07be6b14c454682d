import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeChild } from '@switchboard/shared/node-child';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from './client.ts';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.ts';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(runNodeChild(['-e', 'process.stdout.write(String(process.pid))']));
}

describe('embedded database directory lock', () => {
  it('refuses a directory another live process holds, naming it', async () => {
    const dir = dataDir();
    // The test runner's parent process is alive and is not this one.
    writeFileSync(join(dir, 'pglite.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    const error = await createDatabase({ dataDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect(String((error as Error).message)).toContain(`in use by another process (pid ${process.ppid})`);
    expect(readFileSync(join(dir, 'pglite.lock'), 'utf8')).toBe(String(process.ppid));
  });

  it('takes over a lock left by a process that died, and releases it on close', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'pglite.lock'), String(deadPid()));
    const database = await createDatabase({ dataDir: dir });
    expect(readFileSync(join(dir, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
    await database.close();
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);
  });

  it('holds the directory while open on its own thread too', async () => {
    const dir = dataDir();
    const database = await createDatabase({ dataDir: dir, pgliteThread: 'worker' });
    try {
      expect(readFileSync(join(dir, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
    } finally {
      await database.close();
    }
    expect(existsSync(join(dir, 'pglite.lock'))).toBe(false);
  });
});
