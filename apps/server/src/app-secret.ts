/**
 * APP_SECRET fallback: when the variable is unset, a 32-byte random secret lives in
 * `DATA_DIR/app-secret` (mode 0600), created on first start and reused afterwards so sessions
 * and encrypted credentials survive restarts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const APP_SECRET_FILE = 'app-secret';

export function loadOrCreateAppSecret(
  dataDir: string,
  fail: (message: string) => Error,
): { value: string; source: 'file' | 'generated' } {
  const file = join(dataDir, APP_SECRET_FILE);
  let existing: string | undefined;
  try {
    existing = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw fail(`APP_SECRET is unset and ${file} cannot be read: ${(error as Error).message}`);
    }
  }
  if (existing !== undefined) {
    if (existing.length < 32) {
      throw fail(`APP_SECRET is unset and ${file} holds fewer than 32 characters; delete it to regenerate`);
    }
    // Tighten permissions left loose by a copy or an editor.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { value: existing, source: 'file' };
  }
  const value = randomBytes(32).toString('hex');
  try {
    mkdirSync(dataDir, { recursive: true });
    // `wx`: never overwrite a secret another process wrote a moment ago.
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateAppSecret(dataDir, fail);
    throw fail(`APP_SECRET is unset and ${file} cannot be written: ${(error as Error).message}`);
  }
  return { value, source: 'generated' };
}
