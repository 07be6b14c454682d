/**
 * Process entry: `node apps/server/src/main.ts`. Parses the environment (the only place that
 * passes process.env on), starts the server, prints where it runs (and first-start credentials),
 * and shuts down gracefully on SIGINT/SIGTERM: calls drain first (calls/drain.ts: new ones refused,
 * live ones go on up to SHUTDOWN_DRAIN_S), then Fastify stops accepting and drains requests, then
 * the database closes. With WORKERS > 1 and DATABASE_URL this process becomes the cluster primary
 * and forks the server processes (cluster.ts).
 */
import { DataDirInUseError } from '@switchboard/db';
import { clusterRole, runPrimary } from './cluster.ts';
import { onPrimaryStop, reportReady } from './cluster-worker.ts';
import { ConfigError, parseConfig } from './config.ts';
import { createLogger } from './logging.ts';
import { startServer, startupBanner } from './server.ts';
import { readiness } from './setup/readiness.ts';

/** Longest closing may take after the calls drained (SHUTDOWN_DRAIN_S) before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;
/** Time for the goodbye of calls still running when the drain window ends. */
const GOODBYE_MS = 10_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const role = clusterRole(config);
  if (role.kind === 'primary') {
    const stopTimeoutMs = config.limits.shutdownDrainMs + GOODBYE_MS + SHUTDOWN_TIMEOUT_MS + 5_000;
    runPrimary({ workers: role.workers, log: createLogger(config), stopTimeoutMs });
    return;
  }
  const log = role.kind === 'worker' ? createLogger(config).child({ worker: role.id }) : createLogger(config);
  const note = role.kind === 'single' ? role.note : undefined;
  if (note) log.warn(note);
  const server = await startServer(config, log);
  const { ctx } = server;
  // Only a banner that is printed needs the readiness list (not the other workers').
  if (role.kind === 'worker' && !role.first) reportReady();
  else {
    const items = await readiness(
      { db: ctx.db, secrets: ctx.secrets, config: ctx.config, log },
      server.firstStart.organizationId,
    ).catch((error: unknown) => {
      log.warn({ err: error }, 'could not check readiness');
      return [];
    });
    const notes = note
      ? [note]
      : role.kind === 'worker'
        ? [`Workers: ${config.workers} server processes share this port (WORKERS)`]
        : [];
    const banner = startupBanner(server, items, notes);
    // The first worker hands its banner to the primary, which prints it once all serve.
    if (role.kind === 'worker') reportReady(banner);
    else process.stdout.write(`\n${banner}\n\n`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A worker gets the group's signal and the primary's request alike; the primary alone
      // turns a second signal into an immediate exit (it kills the workers).
      if (role.kind === 'worker') return;
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(
      () => {
        log.error('shutdown timed out; exiting');
        process.exit(1);
      },
      config.limits.shutdownDrainMs + GOODBYE_MS + SHUTDOWN_TIMEOUT_MS,
    ).unref();
    // Drain first (health says draining, new calls are refused, live calls finish), then close.
    server
      .drain()
      .catch((error: unknown) => log.error({ err: error }, 'error while draining calls'))
      .then(() => server.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'error during shutdown');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // The primary's SIGTERM (or its end) drains this worker too; a signal already received wins.
  if (role.kind === 'worker') onPrimaryStop(stop);
}

main().catch((error: unknown) => {
  // An error that says what to do is shown alone; anything else with its stack.
  const plain = error instanceof DataDirInUseError;
  const text =
    error instanceof Error ? (plain ? error.message : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`Switchboard failed to start: ${text}\n`);
  process.exit(1);
});
