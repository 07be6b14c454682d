/**
 * `node bench/import-stalls.ts [--runs N]`: how long a 5,000-row prospect import holds the
 * server's event loop, in-process (issue 19). A test app on PGlite (`SWITCHBOARD_TEST_PGLITE_THREAD`
 * picks its thread; `worker` is what ships) takes N imports through `POST /api/prospects/import`
 * while a setImmediate ticker counts the loop's turns; a V8 CPU profile (250 µs) runs alongside.
 * Every gap between two turns longer than 2 ms of wall time is charged the main thread's busy
 * samples inside it: that CPU time is the task(s) the loop could not get past, without the time
 * the process merely waited for a core (a shared machine). Prints the gaps by busy time, with the
 * frames on most of their samples.
 */
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { buildTestApp } from '../apps/server/src/testing/test-app.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const INTERVAL_US = 250;
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 4;

const t = await buildTestApp('pglite');
const org = await t.seedOrg();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
await session.post('Profiler.start');
/** [start in the profile's clock (µs), wall ms] of every gap above 2 ms. */
const gaps: Array<[number, number]> = [];
for (let run = 0; run < runs; run++) {
  const rows = Array.from({ length: 5000 }, (_, i) => ({
    contact: `Busy prospect ${run}-${i}`,
    phone: `+1628${String(run).padStart(2, '0')}${String(i).padStart(5, '0')}`,
    company: `Import ${run}`,
    email: `busy${run}.${i}@example.com`,
  }));
  const payload = JSON.stringify({ rows, source: 'csv' });
  let ticking = true;
  let last = performance.now();
  const tick = () => {
    if (!ticking) return;
    const now = performance.now();
    if (now - last > 2)
      gaps.push([Number(process.hrtime.bigint() / 1000n) - (now - last) * 1000, now - last]);
    last = now;
    setImmediate(tick);
  };
  setImmediate(tick);
  const t0 = performance.now();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/prospects/import',
    headers: { authorization: `Bearer ${org.tokens.agent}`, 'content-type': 'application/json' },
    payload,
  });
  ticking = false;
  console.log(
    `import ${run + 1}: HTTP ${res.statusCode}, ${res.json().created} created, ${(performance.now() - t0).toFixed(0)} ms`,
  );
}
const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
session.disconnect();
await t.close();

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const times: number[] = [];
let at = profile.startTime;
for (const d of profile.timeDeltas) {
  at += d;
  times.push(at);
}
const frame = (id: number) => {
  const c = byId.get(id)!.callFrame;
  return `${c.functionName || '(anonymous)'} ${c.url.replace(/.*\/(node_modules|apps|packages)\//, '')}:${c.lineNumber + 1}`;
};
const ours = /server\/src|shared\/src|db\/src|secure-json-parse|content-type-parser|garbage collector/;
const charged = gaps
  .map(([start, wallMs]) => {
    const ids = profile.samples.filter(
      (id, i) =>
        times[i]! >= start &&
        times[i]! <= start + wallMs * 1000 &&
        !['(idle)', '(program)'].includes(byId.get(id)!.callFrame.functionName),
    );
    return { wallMs, busyMs: (ids.length * INTERVAL_US) / 1000, ids };
  })
  .sort((a, b) => b.busyMs - a.busyMs);
const count = (ms: number) => charged.filter((g) => g.busyMs >= ms).length;
console.log(
  `\n${gaps.length} gaps > 2 ms of wall time; busy ≥ 2 ms: ${count(2)}, ≥ 3 ms: ${count(3)}, ≥ 5 ms: ${count(5)}`,
);
for (const g of charged.slice(0, 12)) {
  const inclusive = new Map<string, number>();
  for (const id of g.ids) {
    const seen = new Set<string>();
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) {
      const name = frame(c);
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
      seen.add(name);
    }
  }
  const top = [...inclusive]
    .filter(([name]) => ours.test(name) && !name.includes('import-stalls'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, n]) => `${Math.round((n / g.ids.length) * 100)}% ${name}`);
  console.log(`  busy ${g.busyMs.toFixed(1)} ms (wall ${g.wallMs.toFixed(1)}): ${top.join(' | ')}`);
}
process.exit(0);
