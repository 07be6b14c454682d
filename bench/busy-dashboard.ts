/**
 * `--busy-dashboard`: what a busy office does to the server while calls are live. Once every
 * call of the step is up, it imports 5,000 prospects in one request (a CSV import as the
 * dashboard sends it: rows parsed in the browser, one POST) and keeps asking for the overview
 * stats (the dashboard's home page) once a second until the step ends. Run from the benchmark
 * process itself, over HTTP, like a browser would.
 */
import { performance } from 'node:perf_hooks';
import { F64List, round, summarize } from './stats.ts';

export const BUSY_IMPORT_ROWS = 5000;
const STATS_EVERY_MS = 1000;

export interface BusyDashboardFigures {
  importRows: number;
  importMs: number | null;
  importCreated: number | null;
  importError: string | null;
  statsQueries: number;
  statsFailed: number;
  statsMs: { p50: number | null; p99: number | null; max: number | null };
}

/** Phone numbers no simulated caller uses (+1628…), distinct per batch. */
function importRows(batch: number): Array<Record<string, string>> {
  return Array.from({ length: BUSY_IMPORT_ROWS }, (_, i) => ({
    contact: `Busy prospect ${batch}-${i}`,
    phone: `+1628${String(batch % 100).padStart(2, '0')}${String(i).padStart(5, '0')}`,
    company: `Import ${batch}`,
    email: `busy${batch}.${i}@example.com`,
  }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts after `delayMs`; `stop()` ends the stats loop and returns what happened. */
export function startBusyDashboard(
  url: string,
  headers: Record<string, string>,
  delayMs: number,
  batch: number,
): { stop(): Promise<BusyDashboardFigures> } {
  let stopped = false;
  const stats = new F64List(64);
  const figures: BusyDashboardFigures = {
    importRows: BUSY_IMPORT_ROWS,
    importMs: null,
    importCreated: null,
    importError: null,
    statsQueries: 0,
    statsFailed: 0,
    statsMs: { p50: null, p99: null, max: null },
  };
  const importing = (async () => {
    await sleep(delayMs);
    if (stopped) return;
    const t0 = performance.now();
    try {
      const res = await fetch(`${url}/api/prospects/import`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ rows: importRows(batch), source: 'csv' }),
      });
      const body = (await res.json()) as { created?: number };
      figures.importMs = round(performance.now() - t0, 1);
      figures.importCreated = body.created ?? null;
      if (!res.ok) figures.importError = `HTTP ${res.status}`;
    } catch (error) {
      figures.importError = error instanceof Error ? error.message : String(error);
    }
  })();
  const querying = (async () => {
    await sleep(delayMs);
    while (!stopped) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${url}/api/stats/overview`, { headers });
        await res.arrayBuffer();
        if (res.ok) stats.push(performance.now() - t0);
        else figures.statsFailed++;
      } catch {
        figures.statsFailed++;
      }
      figures.statsQueries++;
      await sleep(STATS_EVERY_MS);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await Promise.all([importing, querying]);
      const s = summarize(stats.toArray());
      if (s.count > 0) figures.statsMs = { p50: round(s.p50, 1), p99: round(s.p99, 1), max: round(s.max, 1) };
      return figures;
    },
  };
}
