/**
 * End-to-end harness: builds the dashboard, starts the real server as a child process on a
 * temporary data directory, serves the dashboard (from the server when it serves `dist`, else
 * from a Vite preview server that proxies /api to it) and drives Chromium through playwright-core
 * (CHROMIUM_PATH, else /usr/bin/chromium, else the npm build from @sparticuz/chromium; see
 * packages/testkit/src/chromium.ts and e2e/global-setup.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from '@switchboard/testkit/chromium';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const WEB_DIR = resolve(import.meta.dirname, '..');
export const REPO_DIR = resolve(WEB_DIR, '../..');
export const SCREENSHOT_DIR = join(REPO_DIR, 'test-artifacts/screenshots');
export const OWNER = { email: 'owner@example.com', password: 'correct-horse-battery-staple' };

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  // For the browser test call: a fake microphone instead of a permission prompt.
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function distIsFresh(): boolean {
  const index = join(WEB_DIR, 'dist/index.html');
  const sources = Math.max(newestMtime(join(WEB_DIR, 'src')), newestMtime(join(WEB_DIR, 'public')));
  return existsSync(index) && statSync(index).mtimeMs > sources && process.env.E2E_REBUILD !== '1';
}

/**
 * Builds `apps/web/dist` (production mode) unless it is newer than every source file. Test files
 * run in parallel processes, so the build is serialised with a lock directory; call this before
 * starting a server, which picks up the dashboard files when it starts.
 */
export async function ensureBuilt(): Promise<void> {
  if (distIsFresh()) return;
  const lock = join(WEB_DIR, '.e2e-build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building; a lock older than 3 minutes is left over from a crash.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another dashboard build');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (distIsFresh()) return;
    const { build } = await import('vite');
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(WEB_DIR, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

export interface ServerHandle {
  url: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `apps/server/src/main.ts` with a fresh DATA_DIR; resolves once it prints its URL. */
export async function startServer(env: Record<string, string> = {}): Promise<ServerHandle> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(REPO_DIR, 'apps/server/src/main.ts')], {
    cwd: REPO_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    // Generous: on a loaded machine (several test processes) PGlite's migrations take a while.
    const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${out}`)), 180_000);
    const check = () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Where the browser opens the dashboard: the server itself when it serves the built SPA at `/`
 * (production), otherwise a Vite preview of `dist` that proxies the API to the server.
 */
export async function dashboardUrl(
  serverUrl: string,
): Promise<{ url: string; via: 'server' | 'preview'; close: () => Promise<void> }> {
  const res = await fetch(`${serverUrl}/`).catch(() => null);
  const html = res?.ok ? await res.text() : '';
  if (html.includes('id="root"')) return { url: serverUrl, via: 'server', close: async () => {} };
  const { preview } = await import('vite');
  const target = serverUrl;
  const server = await preview({
    configFile: join(WEB_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    preview: {
      host: '127.0.0.1',
      port: await freePort(),
      strictPort: true,
      proxy: { '/api': { target, changeOrigin: true, ws: true } },
    },
  });
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
  return { url, via: 'preview', close: () => server.close() };
}

/** Headless Chromium; fails with one line saying how to get a browser when none can be found. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return launchChromium([...CHROMIUM_ARGS, ...extraArgs]);
}

/**
 * Writes a mono 16-bit WAV for Chromium's fake microphone
 * (`--use-file-for-fake-audio-capture`): silence and 440 Hz tone segments, in order.
 */
export function writeMicWav(path: string, segments: { ms: number; tone?: boolean }[]): string {
  const rate = 48_000;
  const samples: number[] = [];
  for (const seg of segments) {
    const n = Math.round((seg.ms / 1000) * rate);
    for (let k = 0; k < n; k++)
      samples.push(seg.tone ? Math.round(Math.sin((2 * Math.PI * 440 * k) / rate) * 9000) : 0);
  }
  writeFileSync(path, monoWav(rate, samples));
  return path;
}

/** A mono 16-bit PCM WAV file: the 44-byte RIFF header, then `samples` (integers) at `rate` Hz. */
export function monoWav(rate: number, samples: readonly number[]): Buffer {
  const n = samples.length;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(samples[i] as number, 44 + i * 2);
  return buf;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** JSON API call with a bearer token (test setup that the UI is not under test for). */
export async function apiCall<T>(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON.
  }
  return { status: res.status, body: parsed as T };
}

export async function login(base: string, email: string, password: string): Promise<string> {
  const res = await apiCall<{ token: string }>(base, null, 'POST', '/api/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/**
 * Console errors and uncaught exceptions on a page. Chromium also logs every 4xx/5xx response
 * as a console error ("Failed to load resource"), including the ones the app handles on
 * purpose (a wrong password, a validation error) and endpoints the server does not have yet
 * (404/501); those are collected apart, as `STATUS path`, so tests can check them explicitly.
 */
export function watchConsole(context: BrowserContext): {
  errors: string[];
  httpErrors: string[];
  missingEndpoints: Set<string>;
} {
  const errors: string[] = [];
  const httpErrors: string[] = [];
  const missingEndpoints = new Set<string>();
  const statusOf = new Map<string, number>();
  context.on('response', (res) => {
    if (res.status() >= 400) statusOf.set(res.url(), res.status());
  });
  context.on('page', (page) => attach(page));
  for (const page of context.pages()) attach(page);
  function attach(page: Page) {
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const url = msg.location().url;
      const status = url ? statusOf.get(url) : undefined;
      if (/Failed to load resource/.test(msg.text()) && url && status) {
        const path = new URL(url).pathname;
        if (status === 404 || status === 501) missingEndpoints.add(path);
        else httpErrors.push(`${status} ${path}`);
        return;
      }
      // A WebSocket route the server does not have (an older server without the browser test call).
      const ws = /WebSocket connection to '([^']+)' failed: .*Unexpected response code: (404|501)/.exec(
        msg.text(),
      );
      if (ws?.[1]) {
        missingEndpoints.add(new URL(ws[1]).pathname);
        return;
      }
      // EventSource reports a refused stream without a resource URL in some Chromium versions.
      if (/EventSource|text\/event-stream/i.test(msg.text())) {
        missingEndpoints.add('/api/events');
        return;
      }
      errors.push(`console: ${msg.text()} (${url})`);
    });
  }
  return { errors, httpErrors, missingEndpoints };
}

export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

/** True when the server has a route (anything but a 404 "Route … not found"). */
export async function hasRoute(base: string, token: string, method: string, path: string): Promise<boolean> {
  const res = await apiCall<{ error?: { message?: string } }>(
    base,
    token,
    method,
    path,
    method === 'GET' ? undefined : {},
  );
  return !(res.status === 404 && /^Route /.test(res.body?.error?.message ?? ''));
}

/** True when `GET /api/events` answers 200 (reads only the headers, then hangs up). */
export async function hasEventStream(base: string, token: string): Promise<boolean> {
  const controller = new AbortController();
  try {
    const res = await fetch(`${base}/api/events?token=${encodeURIComponent(token)}`, {
      signal: controller.signal,
    });
    return res.status === 200 && (res.headers.get('content-type') ?? '').includes('text/event-stream');
  } catch {
    return false;
  } finally {
    controller.abort();
  }
}
