/**
 * Starting and stopping the whole server for a given Config: database → migrations →
 * first-start bootstrap → Fastify app → listen. main.ts is the process entry around this;
 * tests call it directly (e.g. to restart on the same data directory).
 */
import { createDatabase } from '@switchboard/db';
import type { SetupItem } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { type BootstrapResult, bootstrap } from './bootstrap.ts';
import { reconcileStaleCalls } from './call-record/reconcile-calls.ts';
import { drainCalls } from './calls/drain.ts';
import type { Config } from './config.ts';
import { type AppContext, createContext, type Logger } from './context.ts';
import { startWorkers } from './jobs/workers.ts';
import { createLiveBus } from './live/redis-bus.ts';
import { formatReadiness } from './setup/readiness.ts';
import type { SipService } from './sip/sip-service.ts';
import { box } from './terminal.ts';
import { buildToolRegistry } from './tools/index.ts';

/** How long shutdown waits for ended calls to finish writing their records. */
const CALL_FLUSH_TIMEOUT_MS = 5_000;
/** How long shutdown waits for running jobs; the rest are failed and retried by the next process. */
const JOB_DRAIN_TIMEOUT_MS = 8_000;

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  /** The address the server listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  firstStart: BootstrapResult;
  /** Stops accepting connections, drains in-flight requests, then closes the database. */
  close(): Promise<void>;
  /** SIGTERM's first step: refuse new calls, let live ones go on up to SHUTDOWN_DRAIN_S (calls/drain.ts). */
  drain(): Promise<boolean>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const database = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    pgliteThread: config.pgliteThread,
    onEmbeddedFailure: (error) =>
      log.error({ err: { message: error.message } }, 'database: embedded database thread failed'),
    onPoolError: (error) => log.warn({ err: { message: error.message } }, 'database: idle connection lost'),
  });
  // In-process live events, or across processes through Redis with REDIS_URL.
  const live = createLiveBus(config, log);
  let ctx: AppContext | undefined;
  try {
    await database.migrate();
    ctx = createContext({ config, database, log, live });
    // Installs or migrates the job tables (schema pgboss) beside Drizzle's, then runs cron.
    await ctx.jobs.start();
    const firstStart = await bootstrap({ db: ctx.db, log, clock: ctx.clock }, config);
    const app = await buildApp(ctx);
    const address = await app.listen({ port: config.port, host: config.host });
    await startWorkers(ctx);
    const started = ctx;
    // Calls a crashed process left "live" are settled now (and every 5 minutes by the job).
    void reconcileStaleCalls(started).catch((error: unknown) =>
      log.error({ err: error }, 'reconciling unfinished calls failed'),
    );
    let sip: SipService | undefined;
    try {
      // The SIP stack (packages/sip) is loaded only when SIP_PORT asks for it.
      if (config.sip.port) {
        const { SipService } = await import('./sip/sip-service.ts');
        sip = await SipService.start(ctx, buildToolRegistry(ctx));
      }
    } catch (error) {
      await app.close();
      throw error;
    }
    ctx.sip = sip;
    return {
      app,
      ctx: started,
      url: address,
      firstStart,
      drain: () => drainCalls(started, config.limits.shutdownDrainMs),
      close: async () => {
        // Closing the app ends live media streams (and SIP calls get a BYE); their sessions then
        // write the final call record, which must land before the database closes. Running jobs
        // drain meanwhile.
        await sip?.close();
        await app.close();
        const [drained] = await Promise.all([
          started.liveCalls.drain(CALL_FLUSH_TIMEOUT_MS),
          started.jobs.stop({ timeoutMs: JOB_DRAIN_TIMEOUT_MS }),
        ]);
        if (!drained)
          log.warn({ calls: started.liveCalls.ids() }, 'shutdown: some calls did not finish writing in time');
        await started.live.close();
        await database.close();
      },
    };
  } catch (error) {
    await ctx?.jobs.stop({ timeoutMs: 1_000 }).catch(() => {});
    await live.close().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  }
}

/**
 * What `npm start` prints once the server listens: where to open the dashboard, the readiness
 * list (what still keeps real calls from working, with what to do) and, on the first start, the
 * owner's sign-in in a box at the end so it does not scroll away.
 */
export function startupBanner(
  server: Pick<RunningServer, 'url' | 'firstStart' | 'ctx'>,
  readinessItems: SetupItem[] = [],
  /** Lines shown under the database line (e.g. why WORKERS is ignored). */
  notes: string[] = [],
): string {
  const { config } = server.ctx;
  const local = server.url.replace('://0.0.0.0', '://localhost').replace('://[::]', '://localhost');
  const lines = [`Switchboard is running at ${local}`];
  if (config.publicUrl) lines.push(`Public URL (Twilio webhooks): ${config.publicUrl}`);
  if (config.sip.port)
    lines.push(
      `SIP trunks: UDP and TCP port ${config.sip.port}, RTP ${config.sip.rtpPorts.min}-${config.sip.rtpPorts.max}`,
    );
  lines.push(
    `Database: ${server.ctx.database.kind === 'postgres' ? 'Postgres (DATABASE_URL)' : `embedded, in ${config.dataDir}`}`,
    ...notes,
  );
  if (server.firstStart.boundPhoneNumber) {
    lines.push(`Phone number ${server.firstStart.boundPhoneNumber} is answered by the default agent.`);
  }
  if (readinessItems.length) {
    const missing = readinessItems.filter((i) => !i.ok && !i.optional).length;
    lines.push(
      '',
      missing
        ? `Before real calls work (${missing} to do; also in the dashboard's setup checklist):`
        : 'Ready for calls:',
      formatReadiness(readinessItems),
    );
  }
  const owner = server.firstStart.createdOwner;
  if (owner) {
    const signIn = [`First start: sign in at ${local}`, '', `  email:    ${owner.email}`];
    if (owner.generatedPassword) {
      signIn.push(
        `  password: ${owner.generatedPassword}`,
        '',
        'This password is shown only this once; you choose your own at the first sign-in.',
        'Lost it? npm run reset-password -- <email>',
      );
    } else {
      signIn.push('  password: the ADMIN_PASSWORD you set');
    }
    lines.push('', box(signIn));
  }
  return lines.join('\n');
}
