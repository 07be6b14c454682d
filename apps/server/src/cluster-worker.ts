/**
 * A cluster worker's side of cluster.ts: it tells the primary once it serves (the first worker
 * hands over its start banner, printed once all serve) and drains when the primary asks (the
 * primary's SIGTERM/SIGINT) or goes away.
 */

/** Tells the primary this worker listens; `banner` (first worker only) is printed by the primary. */
export function reportReady(banner?: string): void {
  if (process.send && process.connected) process.send({ sb: 'ready', banner }, undefined, {}, () => {});
}

/** Calls `stop` when the primary asks this worker to drain, or when the primary is gone. */
export function onPrimaryStop(stop: (reason: string) => void): void {
  process.on('message', (message: unknown) => {
    const { sb, signal } = (message ?? {}) as { sb?: unknown; signal?: unknown };
    if (sb === 'stop') stop(typeof signal === 'string' ? signal : 'SIGTERM');
  });
  process.on('disconnect', () => stop('primary gone'));
}
