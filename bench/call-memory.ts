/**
 * What one live call keeps in the server's memory (issue 19: ≤ 300 KiB of RSS per call).
 * `node bench/call-memory.ts [--calls 25,50] [--provider openai|gemini] [--recording] [--tls]
 * [--no-snapshot] [--keep-snapshots]` starts the real
 * server as the bench does (production's flags, plus `--expose-gc` and bench/memory-probe.ts), the
 * bench's fake model and load generator, warms the call path up with 5 short calls, waits for the
 * start-up peak to pass, then holds 25, then 50 live calls (paced OpenAI path over Twilio Media
 * Streams, the agent talking all along; `--provider gemini` the Gemini Live path, `--recording`
 * with the agent recording every call, `--tls` with the model served over TLS as the real
 * services are: bench/fake/tls-front.ts). At 0 calls and at each count the server collects its
 * garbage and reports its heap; RSS is read from /proc. Per call = (reading − reading at 0) / N,
 * and the marginal figure between the last two counts (free of the warm-up's JIT code).
 * Then two heap snapshots of the server's thread: every call live, and once the last batch hung
 * up; their difference by kind of object, divided by that batch, is what one call keeps.
 * About 45 s on an idle machine; diagnostics only (the bench itself never forces a GC).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, forkChild } from './children.ts';
import { makeLoopbackCertificate } from './fake/tls-front.ts';
import { growth, summarizeSnapshotFile } from './heap-summary.ts';
import { callerNumber } from './load/call.ts';
import { processRssBytes } from './proc.ts';
import type { FakeStartArgs, FakeStartResult, LoadPlan, LoadRunResult, Provider } from './protocol.ts';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  MODEL_KEY,
  OUR_NUMBER,
  PUBLIC_URL,
  patchDefaultAgent,
  prepareServer,
  type ServerProcess,
  startServer,
} from './server-process.ts';

const PROBE = new URL('memory-probe.ts', import.meta.url).pathname;
const WARMUP = 5;
/** Calls of each batch arrive within this window; readings wait this long after it. */
const ARRIVAL_MS = 1_500;
const SETTLE_MS = 2_000;
/** Writing a heap snapshot of the server's thread (≈ 50 MiB of heap) takes up to this long. */
const SNAPSHOT_MS = 6_000;
const KiB = 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = Date.now();
const log = (line: string) => process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)} s  ${line}\n`);

interface Reading {
  calls: number;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface Args {
  batches: number[];
  snapshot: boolean;
  keep: boolean;
  provider: Provider;
  recording: boolean;
  tls: boolean;
}

function parseArgs(argv: string[]): Args {
  const known = ['--calls', '--provider', '--recording', '--tls', '--no-snapshot', '--keep-snapshots'];
  const unknown = argv.find(
    (a, i) => a.startsWith('--') && !known.includes(a) && !/^--(calls|provider)$/.test(argv[i - 1] ?? ''),
  );
  if (unknown) throw new Error(`unknown option ${unknown} (options: ${known.join(' ')})`);
  const at = argv.indexOf('--calls');
  const totals = at >= 0 ? (argv[at + 1] ?? '').split(',').map(Number) : [25, 50];
  if (!totals.every((n, i) => Number.isInteger(n) && n > (totals[i - 1] ?? 0)))
    throw new Error('--calls takes rising call counts, e.g. 25,50');
  const p = argv.indexOf('--provider');
  const provider = p >= 0 ? argv[p + 1] : 'openai';
  if (provider !== 'openai' && provider !== 'gemini') throw new Error('--provider takes openai or gemini');
  return {
    batches: totals.map((n, i) => n - (totals[i - 1] ?? 0)),
    snapshot: !argv.includes('--no-snapshot'),
    keep: argv.includes('--keep-snapshots'),
    provider,
    recording: argv.includes('--recording'),
    tls: argv.includes('--tls'),
  };
}

/** Full GC in the server's thread, then its memoryUsage(); RSS from /proc (the whole process). */
function probe(server: ServerProcess, calls: number, snapshotPath?: string): Promise<Reading> {
  const id = Math.random();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('memory probe timed out')), 60_000);
    const onMessage = (m: unknown) => {
      const reply = m as { memoryProbe?: number; usage?: NodeJS.MemoryUsage };
      if (reply?.memoryProbe !== id || !reply.usage) return;
      clearTimeout(timer);
      server.child.off('message', onMessage);
      const u = reply.usage;
      resolve({
        calls,
        rss: processRssBytes(server.pid),
        heapUsed: u.heapUsed,
        external: u.external,
        arrayBuffers: u.arrayBuffers,
      });
    };
    server.child.on('message', onMessage);
    server.child.send({ memoryProbe: id, snapshotPath });
  });
}

async function main(): Promise<void> {
  const { batches, snapshot, keep, provider, recording, tls } = parseArgs(process.argv.slice(2));
  const total = batches.reduce((a, b) => a + b, 0);
  const children: Child[] = [];
  let server: ServerProcess | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-call-memory-'));
  try {
    const fake = await forkChild('fake-model', 'fake-model.ts', 120_000);
    children.push(fake);
    const load = await forkChild('load-generator', 'load/main.ts', 120_000);
    children.push(load);
    const replyMs = 120_000;
    const cert = tls ? makeLoopbackCertificate(dir) : undefined;
    const fakeArgs: FakeStartArgs = {
      provider,
      pacing: 'paced',
      apiKey: MODEL_KEY,
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      greetingMs: replyMs,
      replyMs,
      ...(cert ? { tls: cert } : {}),
    };
    const fakeInfo = await fake.rpc.call<FakeStartResult>('start', fakeArgs);
    log(
      `starting the server (${provider}${recording ? ', recording' : ''}${tls ? ', model over TLS' : ''})…`,
    );
    server = await startServer({
      provider,
      modelUrl: fakeInfo.modelUrl,
      twilioRestUrl: fakeInfo.twilioRestUrl,
      ...(fakeInfo.textUrl ? { textUrl: fakeInfo.textUrl } : {}),
      cpuProfDir: null,
      nodeFlags: ['--expose-gc', '--import', PROBE],
      ...(cert ? { env: { NODE_EXTRA_CA_CERTS: cert.certPath } } : {}),
    });
    const s = server;
    const startup = watchStartupPeak(s.pid);
    const callIds = Array.from({ length: WARMUP + total }, (_, i) => i + 1);
    await prepareServer(s.url, provider, callIds, callerNumber);
    await fake.rpc.call('addInboundCalls', { to: OUR_NUMBER, ids: callIds });
    if (recording) await patchDefaultAgent(s.url, { recording: 'on' });
    const plan = (calls: number, firstCallId: number, ms: number): LoadPlan => ({
      transport: 'twilio',
      sipPort: null,
      serverUrl: s.url,
      publicUrl: PUBLIC_URL,
      authToken: AUTH_TOKEN,
      accountSid: ACCOUNT_SID,
      to: OUR_NUMBER,
      calls,
      firstCallId,
      durationMs: ms,
      arrivalMs: ARRIVAL_MS,
      bargeInAtMs: Math.min(3_000, ms / 2),
      utteranceMs: 600,
      turnTaking: false,
      marks: provider === 'openai' ? 'tags' : 'bursts',
    });
    log(`warm-up: ${WARMUP} calls…`);
    await load.rpc.call<LoadRunResult>('run', { ...plan(WARMUP, 1, 4_000), bargeInAtMs: 2_000 }, 60_000);
    log('waiting for the start-up peak to pass (V8 tiers the database up)…');
    await startup.settled();
    const readings: Reading[] = [await probe(s, 0)];
    // Batch i's calls hang up at ends[i]: the last batch once the snapshot with every call live is
    // written, the others once the snapshot after the last batch hung up is written too.
    const step = ARRIVAL_MS + SETTLE_MS;
    const snapMs = snapshot ? SNAPSHOT_MS : 0;
    const lastEnd = Date.now() + batches.length * step + snapMs + 1_500;
    const ends = batches.map((_, i) => (i === batches.length - 1 ? lastEnd : lastEnd + snapMs + 2_000));
    const runs: Array<Promise<LoadRunResult>> = [];
    let next = WARMUP + 1;
    let live = 0;
    for (const [i, batch] of batches.entries()) {
      log(`${live + batch} live calls…`);
      const ms = (ends[i] as number) - Date.now();
      runs.push(load.rpc.call<LoadRunResult>('run', plan(batch, next, ms), 120_000));
      next += batch;
      live += batch;
      await sleep(step);
      readings.push(await probe(s, live));
    }
    const last = batches.at(-1) as number;
    const snapshots = snapshot && batches.length > 1;
    // Every RSS reading comes before the first snapshot: writing one leaves the process bigger.
    if (snapshots) await probe(s, live, join(dir, 'all.heapsnapshot'));
    const lastRun = await (runs.at(-1) as Promise<LoadRunResult>);
    if (snapshots) {
      await sleep(500);
      await probe(s, live - last, join(dir, 'fewer.heapsnapshot'));
    }
    const results = [lastRun, ...(await Promise.all(runs.slice(0, -1)))].flatMap((r) => r.calls);
    const failed = results.filter((c) => !c.ok);
    await sleep(1_000);
    const after = await probe(s, 0);
    report(readings, after, failed.length, results.length);
    for (const c of failed.slice(0, 3)) log(`  failed call ${c.id}: ${c.failure}`);
    if (snapshots) {
      const top = growth(
        summarizeSnapshotFile(join(dir, 'fewer.heapsnapshot')),
        summarizeSnapshotFile(join(dir, 'all.heapsnapshot')),
      );
      console.log(
        `\nHeap of one live call: snapshot with ${live} calls − with ${live - last} (after the last ${last} hung up), / ${last}; self sizes, server thread, top 20:`,
      );
      for (const row of top.slice(0, 20))
        console.log(
          `  ${(row.bytes / last / KiB).toFixed(2).padStart(8)} KiB  ${(row.count / last).toFixed(1).padStart(7)} ×  ${row.kind}`,
        );
    }
  } finally {
    await server?.stop();
    for (const c of children.reverse()) await c.stop();
    if (keep) log(`heap snapshots kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * For ≈ 10–20 s after `/health`, V8 tiers Postgres' WebAssembly up in the background and the RSS
 * stays ≈ 400 MiB above idle (docs/PERFORMANCE.md, second pass); readings before it returns that
 * memory mean nothing. Samples from the start; `settled()` resolves once the RSS fell 100 MiB below
 * its highest sample and then stayed within 2 MiB for 2 s (or after 40 s, with a warning).
 */
function watchStartupPeak(pid: number): { settled(): Promise<void> } {
  const samples: number[] = [];
  let peak = 0;
  let fell = false;
  const timer = setInterval(() => {
    const rss = processRssBytes(pid);
    peak = Math.max(peak, rss);
    fell ||= rss < peak - 100 * 2 ** 20;
    if (fell) samples.push(rss);
  }, 250);
  const started = Date.now();
  return {
    async settled() {
      for (;;) {
        const recent = samples.slice(-8);
        if (recent.length === 8 && Math.max(...recent) - Math.min(...recent) < 2 * 2 ** 20) break;
        if (Date.now() - started > 40_000) {
          log('warning: the start-up peak did not pass within 40 s; RSS figures are not comparable');
          break;
        }
        await sleep(250);
      }
      clearInterval(timer);
    },
  };
}

function report(readings: Reading[], after: Reading, failed: number, calls: number): void {
  const base = readings[0] as Reading;
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log('calls  heapUsed MiB  RSS MiB  per call: heap KiB  external KiB  RSS KiB');
  for (const r of [...readings, after]) {
    const per = (k: keyof Reading) => (r.calls ? ((r[k] - base[k]) / r.calls / KiB).toFixed(1) : '–');
    console.log(
      `${String(r.calls).padStart(5)}  ${mib(r.heapUsed).padStart(12)}  ${mib(r.rss).padStart(7)}  ${per('heapUsed').padStart(17)}  ${per('external').padStart(12)}  ${per('rss').padStart(7)}`,
    );
  }
  const [a, b] = readings.slice(-2) as [Reading, Reading];
  if (readings.length > 3) {
    // Least-squares slope over the readings with calls: less sensitive to one noisy RSS reading.
    const live = readings.slice(1);
    const slope = (k: keyof Reading) => {
      const mx = live.reduce((t, r) => t + r.calls, 0) / live.length;
      const my = live.reduce((t, r) => t + r[k], 0) / live.length;
      const sxy = live.reduce((t, r) => t + (r.calls - mx) * (r[k] - my), 0);
      const sxx = live.reduce((t, r) => t + (r.calls - mx) ** 2, 0);
      return (sxy / sxx / KiB).toFixed(1);
    };
    console.log(
      `slope over ${live.map((r) => r.calls).join(', ')} calls: heap ${slope('heapUsed')} KiB, external ${slope('external')} KiB, RSS ${slope('rss')} KiB per call`,
    );
  }
  if (readings.length > 2) {
    const per = (k: keyof Reading) => ((b[k] - a[k]) / (b.calls - a.calls) / KiB).toFixed(1);
    console.log(
      `marginal, ${a.calls} → ${b.calls} calls: heap ${per('heapUsed')} KiB, external ${per('external')} KiB, RSS ${per('rss')} KiB per call`,
    );
  }
  console.log(
    `(the last 0: after every call hung up, and after the heap snapshots if any; ${failed} of ${calls} calls failed)`,
  );
}

main().catch((error: unknown) => {
  log(`call-memory failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
