import { spawnSync } from 'node:child_process';

/** Longest a child may run; it ends a child that printed its result but never exits (below). */
const CHILD_TIMEOUT_MS = 120_000;

/**
 * Runs `node <args>` and returns its standard output. Node 24 can deadlock in `process.exit()`: its
 * platform shutdown joins a V8 background thread that waits for a garbage collection the exiting
 * main thread never runs (seen once in CI, the child asleep after printing its result). A child
 * that hangs is killed after CHILD_TIMEOUT_MS; its output is still returned when it printed something,
 * so the caller's own checks of that output decide. Anything else (an exit code, a signal without
 * output) throws with the child's standard error.
 */
export function runNodeChild(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = CHILD_TIMEOUT_MS,
): string {
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (r.status === 0) return r.stdout;
  const hungAtExit = r.signal === 'SIGKILL' && r.stdout.trim() !== '';
  if (hungAtExit) return r.stdout;
  throw new Error(`node ${args[0]} … failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
}
