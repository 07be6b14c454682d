/**
 * Several server processes on the one port (WORKERS > 1 with DATABASE_URL), with node:cluster.
 * main.ts asks `clusterRole` what this process is:
 * - the primary (runPrimary) serves nothing itself: it forks worker 1 and waits until it listens
 *   (worker 1 alone runs the migrations and the first-start bootstrap on the empty database:
 *   owner account, phone number; APP_SECRET's generated file was written by the primary's config
 *   parse before), then forks the others, which find everything in place; it prints worker 1's
 *   start banner once all serve. It relays live events between workers without Redis
 *   (live/cluster-bus.ts), replaces a worker that dies (backoff; it gives up and stops after
 *   MAX_CRASHES within CRASH_WINDOW_MS), and on SIGTERM/SIGINT asks every worker to drain as on
 *   its own SIGTERM (SHUTDOWN_DRAIN_S), exiting after the last one (0 when all exited cleanly).
 * - a worker is the ordinary server (server.ts) with a few hooks (cluster-worker.ts).
 * - with the embedded database the server stays one process and says why.
 * Jobs need nothing here: pg-boss claims each job once across processes and cron fires once.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.ts';
import type { Logger } from './context.ts';
import { LiveRelay } from './live/cluster-bus.ts';

/** Environment a worker is forked with: "1" for the first (the one that prints the banner). */
export const FIRST_WORKER_ENV = 'SWITCHBOARD_FIRST_WORKER';
/** Waits before forking a replacement for the 1st, 2nd, … worker death in the window. */
const RESTART_BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000];
/** More worker deaths than this within CRASH_WINDOW_MS stop the whole server (exit 1). */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 10 * 60_000;

export type ClusterRole =
  | { kind: 'single'; note?: string }
  | { kind: 'primary'; workers: number }
  | { kind: 'worker'; id: number; first: boolean };

export function clusterRole(config: Pick<Config, 'workers' | 'databaseUrl'>): ClusterRole {
  if (cluster.isWorker)
    return { kind: 'worker', id: cluster.worker?.id ?? 0, first: process.env[FIRST_WORKER_ENV] === '1' };
  if (config.workers <= 1) return { kind: 'single' };
  if (!config.databaseUrl)
    return {
      kind: 'single',
      note: `WORKERS=${config.workers} ignored: the embedded database runs in one process; set DATABASE_URL to use several`,
    };
  return { kind: 'primary', workers: config.workers };
}

export interface PrimaryOptions {
  workers: number;
  log: Logger;
  /** Longest the workers may take to stop after SIGTERM before they are killed. */
  stopTimeoutMs: number;
  /** Prints the banner (worker 1's) once every worker serves. */
  print?: (text: string) => void;
  /** Ends the primary (tests replace it). */
  exit?: (code: number) => void;
}

/** Runs the cluster primary until the workers are gone (see the file comment). */
export function runPrimary(options: PrimaryOptions): void {
  const { workers: wanted, log, stopTimeoutMs } = options;
  const print = options.print ?? ((text: string) => process.stdout.write(`\n${text}\n\n`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const relay = new LiveRelay();
  const alive = new Map<number, Worker>();
  const ready = new Set<number>();
  const crashes: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let banner: string | undefined;
  let serving = false;
  let forkedRest = false;
  let stopping = false;
  let exitCode = 0;

  const fork = (first: boolean) => {
    const worker = cluster.fork({ [FIRST_WORKER_ENV]: first ? '1' : '0' });
    alive.set(worker.id, worker);
    relay.add(worker.id, (message) => {
      if (worker.isConnected()) worker.send(message, undefined, {}, () => {});
    });
    worker.on('error', (error: Error) => log.warn({ err: error, worker: worker.id }, 'worker channel error'));
    worker.on('message', (message: unknown) => {
      if (relay.handle(worker.id, message)) return;
      const { sb, banner: text } = (message ?? {}) as { sb?: unknown; banner?: unknown };
      if (sb === 'ready') onReady(worker, typeof text === 'string' ? text : undefined);
    });
    worker.on('exit', (code, signal) => onExit(worker, code, signal));
  };

  const onReady = (worker: Worker, text: string | undefined) => {
    ready.add(worker.id);
    banner ??= text;
    if (serving) {
      log.info({ worker: worker.id, workerPid: worker.process.pid }, 'replacement worker serves');
      return;
    }
    if (!forkedRest) {
      // The first worker migrated and bootstrapped: the others start on a ready database.
      forkedRest = true;
      for (let i = 1; i < wanted; i++) fork(false);
    }
    if (ready.size >= wanted) {
      serving = true;
      print(banner ?? `Switchboard is running (${wanted} worker processes)`);
    }
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    alive.delete(worker.id);
    relay.remove(worker.id);
    const wasReady = ready.delete(worker.id);
    if (stopping) {
      if (code !== 0) exitCode = 1;
      if (alive.size === 0) exit(exitCode);
      return;
    }
    const info = { worker: worker.id, workerPid: worker.process.pid, code, signal };
    if (!serving && !wasReady && ready.size === 0 && alive.size === 0) {
      // Worker 1 could not start (it printed why): a replacement would fail the same way.
      log.error(info, 'the first worker could not start; stopping');
      exit(1);
      return;
    }
    const now = Date.now();
    crashes.push(now);
    while (crashes.length && (crashes[0] ?? now) < now - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length > MAX_CRASHES) {
      log.error({ ...info, crashes: crashes.length }, 'workers keep exiting; stopping the server');
      stop('crashes', 1);
      return;
    }
    const delay = RESTART_BACKOFF_MS[Math.min(crashes.length, RESTART_BACKOFF_MS.length) - 1] ?? 1_000;
    log.error({ ...info, restartInMs: delay }, 'worker exited unexpectedly; replacing it');
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopping) fork(false);
    }, delay);
    timers.add(timer);
  };

  const stop = (signal: string, code = 0) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      for (const worker of alive.values()) worker.process.kill('SIGKILL');
      exit(1);
      return;
    }
    stopping = true;
    exitCode = code;
    for (const timer of timers) clearTimeout(timer);
    log.info({ signal, workers: alive.size }, 'shutting down: every worker drains');
    setTimeout(() => {
      log.error({ workers: [...alive.keys()] }, 'workers did not stop in time; killing them');
      for (const worker of alive.values()) worker.process.kill('SIGKILL');
      exit(1);
    }, stopTimeoutMs).unref();
    for (const worker of alive.values()) {
      // A worker still starting has no drain to do (and no handler yet): the signal ends it.
      if (!ready.has(worker.id)) worker.process.kill('SIGTERM');
      else if (worker.isConnected()) worker.send({ sb: 'stop', signal }, undefined, {}, () => {});
    }
    if (alive.size === 0) exit(exitCode);
  };

  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  log.info({ workers: wanted }, 'starting worker processes');
  fork(true);
}
