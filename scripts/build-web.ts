/**
 * Builds the dashboard (apps/web → apps/web/dist) when the build is missing or older than its
 * sources, so `npm start` always serves the current dashboard without rebuilding every time.
 * `--force` rebuilds unconditionally. The build's own output is shown only when it fails, so the
 * terminal keeps what matters (the server's address and first-start sign-in).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const web = join(root, 'apps', 'web');
const built = join(web, 'dist', 'index.html');
const sources = [
  join(web, 'src'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(root, 'packages', 'shared', 'src'),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const force = process.argv.includes('--force');
const stale = !existsSync(built) || Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
if (force || stale) {
  process.stdout.write('Building the dashboard… ');
  const result = spawnSync('npm', ['run', 'build', '-w', '@switchboard/web'], {
    cwd: root,
    stdio: 'pipe',
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stdout.write('failed.\n\n');
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}\n`);
    console.error('Dashboard build failed (output above); the API will still start, without the dashboard.');
    process.exitCode = result.status ?? 1;
  } else {
    process.stdout.write('done.\n');
  }
}
