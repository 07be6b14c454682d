/**
 * Starts the reference relay (relay.ts) as its own process on 127.0.0.1, pointed at the same fake
 * model as the server, so its CPU and memory can be read from /proc like the server's.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { helperProfileFlags } from '../children.ts';

const HERE = new URL('.', import.meta.url).pathname;

export interface ReferenceProcess {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export async function startReference(opts: {
  modelUrl: string;
  apiKey: string;
  publicUrl: string;
  maxLifetimeMs: number;
}): Promise<ReferenceProcess> {
  const child = fork(join(HERE, 'relay.ts'), [], {
    execPath: process.execPath,
    execArgv: helperProfileFlags(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'production',
      BENCH_CHILD_MAX_MS: String(opts.maxLifetimeMs),
      REFERENCE_MODEL_URL: opts.modelUrl,
      REFERENCE_MODEL_KEY: opts.apiKey,
      REFERENCE_PUBLIC_HOST: new URL(opts.publicUrl).host,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the reference relay did not start within 30 s')),
      30_000,
    );
    child.on('message', (m: unknown) => {
      const msg = m as { ready?: boolean; port?: number };
      if (msg?.ready && msg.port) {
        clearTimeout(timer);
        resolve(msg.port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the reference relay exited during start (${code})`));
    });
  });
  return {
    pid: child.pid ?? -1,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
