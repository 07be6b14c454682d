/**
 * Open streams (SSE /api/events, the browser test call) outlive the request that authenticated
 * them: each re-checks its principal every PRINCIPAL_RECHECK_MS and ends when the session or the
 * API key is revoked, the user disabled or deleted, or the role no longer allows the stream.
 * A database error keeps the stream (a failed check is not a revocation); the next check decides.
 */
import type { DbOrTx } from '@switchboard/db';
import type { Role } from '@switchboard/shared';
import { recheckPrincipal } from '../services/principal.ts';
import { type AuthContext, hasRole } from './roles.ts';

/** How often an open stream re-checks who it belongs to (ms). */
export const PRINCIPAL_RECHECK_MS = 30_000;

interface Watch {
  check(): Promise<void>;
}

const watches = new Set<Watch>();

export interface PrincipalWatchOptions {
  db: DbOrTx;
  auth: AuthContext;
  /** The role the stream needs. */
  minimum: Role;
  /** Runs once, when the principal lost the right to the stream. */
  onRevoked: () => void;
  onError?: (error: unknown) => void;
  intervalMs?: number;
}

/** Starts re-checking; returns the function that stops it (call it when the stream ends). */
export function watchPrincipal(options: PrincipalWatchOptions): () => void {
  let running: Promise<void> | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    clearInterval(timer);
    watches.delete(watch);
  };
  const run = async () => {
    try {
      const current = await recheckPrincipal(options.db, options.auth);
      if (stopped) return;
      if (!current || !hasRole(current.role, options.minimum)) {
        stop();
        options.onRevoked();
      }
    } catch (error) {
      options.onError?.(error);
    }
  };
  const watch: Watch = {
    check() {
      if (stopped) return Promise.resolve();
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
  const timer = setInterval(() => void watch.check(), options.intervalMs ?? PRINCIPAL_RECHECK_MS);
  timer.unref();
  watches.add(watch);
  return stop;
}

/** Runs every open stream's re-check now and waits for them (tests drive the interval with it). */
export async function recheckPrincipalsNow(): Promise<void> {
  await Promise.all([...watches].map((watch) => watch.check()));
}
