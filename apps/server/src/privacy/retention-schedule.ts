/**
 * Runs retention (enforce-retention.ts) for every organization once a day, in-process: a first
 * run a few minutes after start, then every 24 hours. Several server processes may share one
 * Postgres: each run happens inside a transaction holding a transaction-level advisory lock
 * (`pg_try_advisory_xact_lock`), so only one process works at a time and the others skip that
 * round. The work is idempotent, so a second process running later the same day removes nothing
 * new. (When the durable job queue lands, this becomes one of its daily schedules.)
 */
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { enforceRetentionEverywhere } from './enforce-retention.ts';

const DAY_MS = 86_400_000;
const FIRST_RUN_DELAY_MS = 5 * 60_000;

export interface RetentionSchedule {
  /** Runs one round now (what the timer does); resolves false when another process held the lock. */
  runOnce(): Promise<boolean>;
  stop(): void;
}

export function scheduleRetention(
  ctx: Pick<AppContext, 'db' | 'log' | 'clock' | 'config'>,
  options: { firstRunDelayMs?: number; intervalMs?: number } = {},
): RetentionSchedule {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const runOnce = () =>
    ctx.db.transaction(async (tx) => {
      const result = await tx.execute(
        sql`select pg_try_advisory_xact_lock(hashtext('switchboard_retention')) as locked`,
      );
      const locked = (result as unknown as { rows: Array<{ locked: boolean }> }).rows[0]?.locked === true;
      if (!locked) return false;
      const reports = await enforceRetentionEverywhere({
        db: tx,
        log: ctx.log,
        clock: ctx.clock,
        dataDir: ctx.config.dataDir,
      });
      ctx.log.info({ organizations: reports.length }, 'retention enforced');
      return true;
    });

  const tick = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((error: unknown) => ctx.log.error({ err: error }, 'retention run failed'))
        .finally(() => tick(options.intervalMs ?? DAY_MS));
    }, delay);
    timer.unref();
  };
  tick(options.firstRunDelayMs ?? FIRST_RUN_DELAY_MS);

  return {
    runOnce,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
