/** Forks the benchmark's helper processes (fake model, load generator) and tears them down. */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { RpcClient } from './ipc.ts';

const BENCH = new URL('.', import.meta.url).pathname;

export interface Child {
  name: string;
  child: ChildProcess;
  pid: number;
  rpc: RpcClient;
  stop(): Promise<void>;
}

/**
 * Debugging aid: BENCH_PROFILE_HELPERS=<dir> writes V8 CPU profiles of the helpers (fake model,
 * load generator, reference relay) into <dir>, beside the server's from `--cpu-prof`.
 */
export function helperProfileFlags(): string[] {
  const dir = process.env.BENCH_PROFILE_HELPERS;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

/** Fork `bench/<file>` on this same Node binary and wait until it reports ready. */
export async function forkChild(name: string, file: string, maxLifetimeMs: number): Promise<Child> {
  const child = fork(join(BENCH, file), [], {
    execPath: process.execPath,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_CHILD_MAX_MS: String(maxLifetimeMs) },
    execArgv: helperProfileFlags(),
  });
  const rpc = new RpcClient(name, child);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s`)), 30_000);
    child.on('message', (m: unknown) => {
      if ((m as { ready?: boolean })?.ready) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during start (${code})`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    pid: child.pid ?? -1,
    rpc,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await rpc.call('stop', null, 5_000).catch(() => {});
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
