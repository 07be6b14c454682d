/**
 * The real server (`apps/server/src/main.ts`) as a child process on 127.0.0.1, with a temp
 * data directory (embedded PGlite), warnings-only logging and every external endpoint pointed
 * at the fakes. Its CPU and memory are read from /proc from the outside. With `workers` it runs
 * WORKERS=N on a temporary Postgres database (created on SWITCHBOARD_TEST_POSTGRES_URL's server,
 * dropped at stop), and counts as started once every worker serves. It starts with the Node flags
 * and allocator setting production uses (`runtime-settings.ts`: `npm start`, the Dockerfile).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmptyPostgresDatabase } from '@switchboard/db/testing';
import { SERVER_NODE_FLAGS, SERVER_PROCESS_ENV } from '../apps/server/src/runtime-settings.ts';
import type { Provider } from './protocol.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const MAIN = join(ROOT, 'apps/server/src/main.ts');
const GUARD = join(ROOT, 'bench/server-guard.ts');
/** `BENCH_RUNTIME_SETTINGS=off npm run bench …` starts the server without them (to compare). */
const RUNTIME_SETTINGS = process.env.BENCH_RUNTIME_SETTINGS !== 'off';

export const PUBLIC_URL = 'https://bench.switchboard.test';
export const ACCOUNT_SID = `AC${'b'.repeat(32)}`;
export const AUTH_TOKEN = 'bench_auth_token_0123456789';
export const OUR_NUMBER = '+15005550006';
export const MODEL_KEY = 'sk-bench-0123456789';
export const ADMIN_EMAIL = 'bench@example.com';
export const ADMIN_PASSWORD = 'bench-password-0123456789';

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  dataDir: string;
  /** Output the server wrote (warnings and errors), last 200 lines. */
  output: string[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer(opts: {
  provider: Provider;
  modelUrl: string;
  twilioRestUrl: string;
  /** OPENAI_BASE_URL (the fake text API for post-call analysis), when the fake serves one. */
  textUrl?: string;
  cpuProfDir: string | null;
  /** Listen for SIP on this port (UDP and TCP), RTP on 10000-13999. */
  sipPort?: number | null;
  /** WORKERS=N on a temporary Postgres database; null/undefined = one process on PGlite. */
  workers?: number | null;
  /** More Node flags for the server (after production's and BENCH_SERVER_FLAGS). */
  nodeFlags?: readonly string[];
  /** More environment variables for the server (after the bench's own). */
  env?: Readonly<Record<string, string>>;
}): Promise<ServerProcess> {
  const port = await freePort();
  const postgres = opts.workers
    ? await createEmptyPostgresDatabase().catch((error: unknown) => {
        throw new Error(`--workers needs Postgres (SWITCHBOARD_TEST_POSTGRES_URL): ${String(error)}`);
      })
    : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dataDir,
    ...(RUNTIME_SETTINGS ? SERVER_PROCESS_ENV : {}),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL,
    DATA_DIR: dataDir,
    APP_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_PHONE_NUMBER: OUR_NUMBER,
    TWILIO_API_BASE_URL: opts.twilioRestUrl,
    ...(opts.textUrl ? { OPENAI_BASE_URL: opts.textUrl } : {}),
    // The bench measures capacity, not the abuse caps: lift the per-server, per-organization and
    // per-address limits (every simulated call comes from 127.0.0.1 and one organization).
    MAX_CONCURRENT_CALLS: '100000',
    MAX_CONCURRENT_CALLS_PER_ORG: '100000',
    PENDING_SOCKETS_MAX: '100000',
    PENDING_SOCKETS_PER_IP: '100000',
    // PGLITE_THREAD=main npm run bench … compares the embedded database in the server's thread.
    ...(process.env.PGLITE_THREAD ? { PGLITE_THREAD: process.env.PGLITE_THREAD } : {}),
    // MODEL_INPUT_CHUNK_MS=0 npm run bench … forwards every caller frame to the model on its own.
    ...(process.env.MODEL_INPUT_CHUNK_MS ? { MODEL_INPUT_CHUNK_MS: process.env.MODEL_INPUT_CHUNK_MS } : {}),
    OPENAI_API_KEY: MODEL_KEY,
    GEMINI_API_KEY: MODEL_KEY,
    ...(opts.provider === 'openai'
      ? { OPENAI_REALTIME_URL: opts.modelUrl }
      : { GEMINI_BASE_URL: opts.modelUrl }),
    ...(postgres && opts.workers ? { DATABASE_URL: postgres.url, WORKERS: String(opts.workers) } : {}),
    ...(opts.sipPort
      ? { SIP_PORT: String(opts.sipPort), RTP_PORTS: '10000-13999', SIP_PUBLIC_ADDRESS: '127.0.0.1' }
      : {}),
    ...opts.env,
  };
  const execArgv = [
    ...(RUNTIME_SETTINGS ? SERVER_NODE_FLAGS : []),
    ...(process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []),
    ...(opts.nodeFlags ?? []),
    '--import',
    GUARD,
  ];
  if (opts.cpuProfDir) execArgv.push('--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir);
  const child = fork(MAIN, [], {
    cwd: ROOT,
    env,
    execPath: process.execPath,
    execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) output.push(line);
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    await postgres?.drop().catch(() => {});
  };
  try {
    await waitForHealth(url, child, output, opts.workers ?? 1);
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, pid: child.pid ?? -1, url, dataDir, output, stop };
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  output: string[],
  workers: number,
): Promise<void> {
  // A cluster starts its workers one after the other (the first migrates), and prints its
  // banner ("running at") once every worker serves.
  // A loaded shared machine (load average 20 on 2 cores) takes ~110 s to start one server.
  const limitS = workers > 1 ? 120 + 120 * workers : 240;
  const deadline = Date.now() + limitS * 1000;
  const allServe = () => workers <= 1 || output.some((line) => line.includes('running at http'));
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the server exited (${child.exitCode}) at start:\n${output.slice(-20).join('\n')}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok && allServe()) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not become healthy within ${limitS} s:\n${output.slice(-20).join('\n')}`);
}

/** Sign in as the owner the server created on its first start; returns the bearer headers. */
export async function ownerHeaders(url: string): Promise<Record<string, string>> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login failed: HTTP ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/** The contact name of the prospect that simulated call `id` comes from (read back in the model's instructions). */
export function callerName(id: number): string {
  return `Bench caller ${id}`;
}

/**
 * Set the server up as an owner would in the dashboard: every simulated caller is a known
 * prospect (so each call loads its CRM context, and the model's instructions name the call),
 * the default agent uses `provider`, and (`sip`) a trunk lets the load generator call in.
 */
export async function prepareServer(
  url: string,
  provider: Provider,
  callIds: number[],
  phoneOf: (id: number) => string,
  sip = false,
): Promise<void> {
  const headers = await ownerHeaders(url);
  for (let i = 0; i < callIds.length; i += 5000) {
    const rows = callIds.slice(i, i + 5000).map((id) => ({
      contact: callerName(id),
      phone: phoneOf(id),
      company: 'Benchmark',
    }));
    const res = await fetch(`${url}/api/prospects/import`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ rows, source: 'bench' }),
    });
    const body = (await res.json()) as { created?: number; errors?: unknown[] };
    if (!res.ok || body.created !== rows.length) {
      throw new Error(
        `importing the callers failed: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
  }
  if (sip) {
    // The load generator is the carrier: its calls come from 127.0.0.1 to OUR_NUMBER.
    const trunk = await fetch(`${url}/api/sip-trunks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'Bench carrier',
        inboundAddresses: ['127.0.0.1'],
        outboundProxy: '127.0.0.1:5060',
        numbers: [OUR_NUMBER],
      }),
    });
    if (!trunk.ok)
      throw new Error(`creating the SIP trunk failed: HTTP ${trunk.status} ${await trunk.text()}`);
  }
  if (provider !== 'openai') await patchDefaultAgent(url, { provider }, headers);
}

/** PATCHes the default agent (the one that answers the bench's calls), e.g. `{ recording: 'on' }`. */
export async function patchDefaultAgent(
  url: string,
  patch: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<void> {
  headers ??= await ownerHeaders(url);
  const list = await fetch(`${url}/api/agents`, { headers });
  const body = (await list.json()) as { items: Array<{ id: string; isDefault: boolean }> };
  const agent = body.items.find((a) => a.isDefault) ?? body.items[0];
  if (!agent) throw new Error('no agent to change');
  const res = await fetch(`${url}/api/agents/${agent.id}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify(patch),
  });
  if (!res.ok)
    throw new Error(
      `changing the agent (${JSON.stringify(patch)}) failed: HTTP ${res.status} ${await res.text()}`,
    );
}
