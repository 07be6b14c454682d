/**
 * One process per embedded database. Two processes opening the same PGlite data directory each
 * run their own Postgres over the same files and corrupt them (seen: the database no longer
 * opens). `lockDataDir` takes `<dataDir>/pglite.lock` (the holder's pid) before PGlite opens and
 * refuses with a clear error while another live process holds it; a lock left by a process that
 * died (kill -9, a crash) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another process (pid ${pid}). Stop that ` +
        'server first (or use another DATA_DIR, or set DATABASE_URL). If no such process is running, ' +
        `delete ${join(dataDir, 'pglite.lock')}.`,
    );
    this.name = 'DataDirInUseError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data directory's lock; resolves to the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new DataDirInUseError(dataDir, holder);
    }
    // Left by a process that is gone (or by this one, closed without releasing): take it over.
    rmSync(path, { force: true });
  }
  throw new Error(`could not take ${path}`);
}
