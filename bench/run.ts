import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBusyDashboard } from './busy-dashboard.ts';
import { capacityFigures, capacityLine } from './capacity.ts';
import { forkChild } from './children.ts';
import { type CodecFigure, geminiConversionCoreShare, runCodecBenchmarks } from './codec.ts';
import { KNOWLEDGE_P99_LIMIT_MS, type KnowledgeFigure, runKnowledgeBenchmark } from './knowledge.ts';
import { callerNumber } from './load/call.ts';
import { describeMachine } from './machine.ts';
import { type BenchOptions, parseOptions, USAGE } from './options.ts';
import { processRssBytes, processTreeRssBytes } from './proc.ts';
import type { FakeStartArgs, FakeStartResult } from './protocol.ts';
import { type ReferenceProcess, startReference } from './reference/process.ts';
import {
  checkTargets,
  codecTable,
  machineLine,
  maxConcurrentCalls,
  stepJson,
  stepTables,
  targetLines,
} from './report.ts';
import { clockOffset, pinProcesses, replyLengths, rssSlope } from './run-helpers.ts';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  freePort,
  MODEL_KEY,
  OUR_NUMBER,
  ownerHeaders,
  PUBLIC_URL,
  prepareServer,
  type ServerProcess,
  startServer,
} from './server-process.ts';
import { round } from './stats.ts';
import { runStep, type StepContext, type StepResult } from './step.ts';

const RESULTS = join(new URL('.', import.meta.url).pathname, 'results');
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const cleanups: Array<() => Promise<void>> = [];
async function teardown(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`\n${signal}: stopping the benchmark's processes…`);
    void teardown().finally(() => process.exit(130));
  });
}

/** Call ids of the reference relay's calls start here (apart from the server's; < 2^32 / CALLER_TAG_SPAN). */
const REFERENCE_FIRST_ID = 8192;

interface LoadOutcome {
  steps: StepResult[];
  warmup: StepResult | null;
  clock: Record<string, { offsetMs: number; rttMs: number }>;
  reference: { idleRssMiB: number | null } | null;
  server: {
    startupMs: number;
    idleRssMiB: number | null;
    baselineRssMiB: number | null;
    rssSlopeKiBPerCall: number | null;
    cpuProfileDir: string | null;
    log: string[];
  };
}

function logStep(label: string, step: StepResult): void {
  const r = step.figures.relay.latency;
  log(
    `  ${label}: relay p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)} max ${r.max.toFixed(1)} ms, lost ${step.figures.relay.lost}, ` +
      `failed ${step.figures.calls.failed}, CPU ${step.resources.serverCpuPercent.toFixed(0)} %, ` +
      `${(step.resources.steadyCpuMsPerCallSecond ?? step.resources.serverCpuMsPerCallSecond).toFixed(2)} ms/call-s`,
  );
}

async function runLoad(o: BenchOptions): Promise<LoadOutcome> {
  const runsPerStep = 1 + (o.reference ? 1 : 0) + (o.busyDashboard ? 1 : 0);
  const expectedMs = runsPerStep * o.ramp.length * (o.durationS * 1000 + 40_000) + 300_000;
  const fake = await forkChild('fake-model', 'fake-model.ts', expectedMs);
  cleanups.push(fake.stop);
  const load = await forkChild('load-generator', 'load/main.ts', expectedMs);
  cleanups.push(load.stop);
  const startArgs: FakeStartArgs = {
    provider: o.provider,
    pacing: o.pacing,
    apiKey: MODEL_KEY,
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    ...replyLengths(o),
  };
  const fakeInfo = await fake.rpc.call<FakeStartResult>('start', startArgs);
  const t0 = Date.now();
  const cpuProfileDir = o.cpuProf ? RESULTS : null;
  log(
    `starting the server (${o.provider} over ${o.transport}, fake model ${o.pacing}${o.workers ? `, WORKERS=${o.workers} on Postgres` : ''})…`,
  );
  const sipPort = o.transport === 'sip' ? await freePort() : null;
  const server: ServerProcess = await startServer({
    provider: o.provider,
    modelUrl: fakeInfo.modelUrl,
    twilioRestUrl: fakeInfo.twilioRestUrl,
    ...(fakeInfo.textUrl ? { textUrl: fakeInfo.textUrl } : {}),
    cpuProfDir: cpuProfileDir,
    sipPort,
    workers: o.workers,
  });
  cleanups.push(server.stop);
  const startupMs = Date.now() - t0;
  let reference: ReferenceProcess | null = null;
  if (o.reference) {
    reference = await startReference({
      modelUrl: fakeInfo.modelUrl,
      apiKey: MODEL_KEY,
      publicUrl: PUBLIC_URL,
      maxLifetimeMs: expectedMs,
    });
    cleanups.push(reference.stop);
  }
  const warmupCalls = o.warmupCalls;
  const totalCalls = warmupCalls + o.ramp.reduce((a, b) => a + b, 0) * (o.busyDashboard ? 2 : 1);
  if (o.reference && totalCalls >= REFERENCE_FIRST_ID)
    throw new Error('too many calls for the reference relay');
  const callIds = Array.from({ length: totalCalls }, (_, i) => i + 1);
  await prepareServer(server.url, o.provider, callIds, callerNumber, o.transport === 'sip');
  if (o.transport === 'twilio') await fake.rpc.call('addInboundCalls', { to: OUR_NUMBER, ids: callIds });
  // The reference relay gets the same core as the server, so the two are compared alike.
  if (o.pin)
    pinProcesses(reference ? [server.pid, reference.pid] : [server.pid], [fake.pid, load.pid, process.pid]);
  const clock = { fake: await clockOffset(fake), load: await clockOffset(load) };
  await sleep(1000);
  const idleRss = processTreeRssBytes(server.pid);

  const ctx: StepContext = {
    serverPid: server.pid,
    fake,
    load,
    plan: {
      transport: o.transport,
      sipPort,
      serverUrl: server.url,
      publicUrl: PUBLIC_URL,
      authToken: AUTH_TOKEN,
      accountSid: ACCOUNT_SID,
      to: OUR_NUMBER,
      durationMs: o.durationS * 1000,
      bargeInAtMs: o.bargeInAtS === null ? null : o.bargeInAtS * 1000,
      utteranceMs: 600,
      // Paced replies outlast the call; burst replies are short, so the caller answers each one.
      turnTaking: o.pacing === 'burst',
      marks: o.provider === 'openai' ? 'tags' : 'bursts',
    },
    burstPacing: o.pacing === 'burst',
    idleRssBytes: idleRss,
    arrivalMs: (calls) => (o.arrivalS === null ? Math.min(10_000, calls * 50) : o.arrivalS * 1000),
  };
  // The reference relay runs each step right after the server, with the same plan and helpers.
  const refCtx = (): StepContext | null =>
    reference && {
      ...ctx,
      serverPid: reference.pid,
      idleRssBytes: processRssBytes(reference.pid),
      plan: { ...ctx.plan, serverUrl: reference.url },
    };
  let nextRefId = REFERENCE_FIRST_ID;
  const headers = o.busyDashboard ? await ownerHeaders(server.url) : {};
  let nextCallId = 1;
  let warmup: StepResult | null = null;
  if (warmupCalls > 0) {
    // JIT warm-up (not reported in the table): a few short calls through every code path.
    log(`warm-up: ${warmupCalls} calls…`);
    warmup = await runStep(
      { ...ctx, plan: { ...ctx.plan, durationMs: Math.min(6_000, ctx.plan.durationMs), bargeInAtMs: 3_000 } },
      warmupCalls,
      nextCallId,
    );
    nextCallId += warmupCalls;
    const rc = refCtx();
    if (rc) {
      log(`warm-up: ${warmupCalls} calls on the reference relay…`);
      await runStep(
        { ...rc, plan: { ...rc.plan, durationMs: Math.min(6_000, rc.plan.durationMs), bargeInAtMs: 3_000 } },
        warmupCalls,
        nextRefId,
      );
      nextRefId += warmupCalls;
    }
    await sleep(2_000);
  }
  // Memory baseline: the warmed-up server with no call (start-up garbage is collected by now).
  ctx.idleRssBytes = processTreeRssBytes(server.pid);
  const steps: StepResult[] = [];
  for (const calls of o.ramp) {
    log(`step: ${calls} concurrent calls for ${o.durationS} s…`);
    const step = await runStep(ctx, calls, nextCallId);
    nextCallId += calls;
    steps.push(step);
    logStep('server', step);
    await sleep(2_000);
    if (o.busyDashboard) {
      log(`step: ${calls} calls again, with a busy dashboard (5,000-row import + stats queries)…`);
      const dashboard = startBusyDashboard(server.url, headers, ctx.arrivalMs(calls) + 1_000, calls);
      const busyStep = await runStep(ctx, calls, nextCallId);
      nextCallId += calls;
      step.busy = { step: busyStep, dashboard: await dashboard.stop() };
      logStep('server, busy dashboard', busyStep);
      const d = step.busy.dashboard;
      log(
        `  import ${d.importMs ?? '–'} ms (${d.importCreated ?? d.importError} created), ${d.statsQueries} stats queries p99 ${d.statsMs.p99 ?? '–'} ms`,
      );
      await sleep(2_000);
    }
    const rc = refCtx();
    if (rc) {
      log(`step: ${calls} calls on the reference relay…`);
      step.reference = await runStep(rc, calls, nextRefId);
      nextRefId += calls;
      logStep('reference', step.reference);
      await sleep(2_000);
    }
  }
  const referenceIdle = reference ? processRssBytes(reference.pid) : null;
  await reference?.stop();
  await server.stop();
  return {
    steps,
    warmup,
    clock,
    reference: referenceIdle === null ? null : { idleRssMiB: round(referenceIdle / 2 ** 20, 1) },
    server: {
      startupMs,
      idleRssMiB: round(idleRss / 2 ** 20, 1),
      baselineRssMiB: round(ctx.idleRssBytes / 2 ** 20, 1),
      rssSlopeKiBPerCall: rssSlope(steps),
      cpuProfileDir,
      log: server.output.slice(-50),
    },
  };
}

async function main(): Promise<number> {
  let opts: BenchOptions | 'help';
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (opts === 'help') {
    log(USAGE);
    return 0;
  }
  const o = opts;
  const startedAt = new Date();
  const machine = describeMachine();
  log(`machine: ${machineLine(machine)}`);
  let codec: CodecFigure[] = [];
  if (o.codec) {
    log('codec micro-benchmarks…');
    codec = runCodecBenchmarks(o.smoke ? 1 : 3);
  }
  let knowledge: KnowledgeFigure | null = null;
  if (o.knowledge) {
    log(`knowledge search micro-benchmark (${o.knowledgeDocuments} documents, ${o.knowledgeDb})…`);
    knowledge = await runKnowledgeBenchmark({
      db: o.knowledgeDb,
      documents: o.knowledgeDocuments,
      queries: o.smoke ? 100 : 1000,
      log,
    });
  }
  const outcome = o.load ? await runLoad(o) : null;
  const steps = outcome?.steps ?? [];
  const targets = checkTargets(o, steps, codec);
  if (knowledge) {
    targets.push({
      name: `search_knowledge on ${knowledge.documents} documents (${knowledge.db})`,
      target: `p99 ≤ ${KNOWLEDGE_P99_LIMIT_MS} ms`,
      measured: `p50 ${round(knowledge.p50, 1)} ms, p99 ${round(knowledge.p99, 1)} ms, max ${round(knowledge.max, 1)} ms over ${knowledge.queries} queries (${knowledge.chunks} passages); database execution p50 ${round(knowledge.executionP50, 1)} ms, p99 ${round(knowledge.executionP99, 1)} ms`,
      met: knowledge.p99 <= KNOWLEDGE_P99_LIMIT_MS,
    });
  }
  const report = {
    tool: 'switchboard-bench',
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    options: o,
    machine,
    clockOffsets: outcome?.clock ?? null,
    referenceRelay: outcome?.reference ?? null,
    server: outcome?.server ?? null,
    codec: codec.map((c) => ({
      name: c.name,
      nsPerSample: round(c.nsPerSample, 3),
      medianNsPerSample: round(c.medianNsPerSample, 3),
      realtimeFactor: round(c.realtimeFactor, 0),
      target: c.target,
    })),
    knowledge,
    geminiConversionPerCallCorePercent: codec.length
      ? round(geminiConversionCoreShare(codec) * 100, 4)
      : null,
    warmup: outcome?.warmup ? stepJson(outcome.warmup) : null,
    steps: steps.map(stepJson),
    maxConcurrentCalls: o.load ? maxConcurrentCalls(steps) : null,
    capacity: o.load ? capacityFigures(o, steps, machine.logicalCores) : null,
    targets,
  };
  mkdirSync(RESULTS, { recursive: true });
  const file = join(
    RESULTS,
    `${startedAt.toISOString().replace(/[:.]/g, '-')}-${o.provider}${o.transport === 'sip' ? '-sip' : ''}.json`,
  );
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  if (o.jsonOnly) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const out: string[] = ['', `Switchboard benchmark — ${machineLine(machine)}`];
    if (steps.length) {
      out.push(
        `${o.provider} over ${o.transport}, fake model ${o.pacing}, ${o.durationS} s calls`,
        '',
        stepTables(steps),
      );
      out.push(
        '',
        `Maximum concurrent calls at relay p99 ≤ 20 ms with no loss: ${report.maxConcurrentCalls ?? 'none'}`,
        capacityLine(report.capacity),
      );
    }
    if (codec.length) out.push('', 'Codecs (20 ms frames, one core)', codecTable(codec));
    if (targets.length) out.push('', 'Targets', targetLines(targets));
    out.push('', `JSON: ${file}`, '');
    process.stdout.write(out.join('\n'));
  }
  if (o.load && steps.every((s) => s.figures.calls.connected === 0)) {
    log('benchmark broken: no call connected');
    return 1;
  }
  return 0;
}

main()
  .then(async (code) => {
    await teardown();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await teardown();
    process.exit(1);
  });
