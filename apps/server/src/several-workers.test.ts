/**
 * WORKERS: the real `main.ts` with WORKERS=2 on a fresh Postgres database becomes a cluster
 * primary with two server processes on one port. Each HTTP connection goes to one worker, so the
 * test pins keep-alive connections to a known worker (GET /health names it) and shows that a
 * dashboard event stream on one worker sees a call that reached the other: through the primary
 * without Redis, through Redis with it. SIGTERM drains both and the primary exits 0. With the
 * embedded database WORKERS=2 keeps one process and says why. Postgres suites skip when it is
 * unreachable (SWITCHBOARD_TEST_POSTGRES=required makes that an error), the Redis one likewise.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Agent, Agent as HttpAgent, type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmptyPostgresDatabase, testPostgresReachable } from '@switchboard/db/testing';
import { encodeForm, twilioSignature } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, testRedisReachable } from './testing/redis.ts';
import { type ServerProcess, startServerProcess } from './testing/server-process.ts';

const postgres = await testPostgresReachable();
const redis = postgres ? await testRedisReachable() : false;
if (!postgres)
  console.warn(
    '[switchboard tests] several-workers.test.ts: Postgres unreachable, WORKERS=2 suites skipped.',
  );

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'several-workers-auth-token';
const PUBLIC_URL = 'https://switchboard.workers.example';
const NUMBER = '+14155550188';
const OWNER = { email: 'owner@workers.example', password: 'correct-horse-battery-staple' };
const START_TIMEOUT_MS = 240_000;

interface Reply {
  status: number;
  body: string;
  /** Whether the request went over the connection the agent already had open. */
  reused: boolean;
}

function send(
  base: string,
  agent: Agent,
  method: string,
  path: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Keep-alive connections, one per worker: a new connection goes to the next worker. */
async function connectionsToEachWorker(base: string, workers: number): Promise<Map<number, Agent>> {
  const byWorker = new Map<number, Agent>();
  for (let attempt = 0; attempt < 20 && byWorker.size < workers; attempt++) {
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    const health = await send(base, agent, 'GET', '/health');
    const { worker } = JSON.parse(health.body) as { worker?: number };
    expect(worker, 'GET /health names the worker').toBeTypeOf('number');
    if (worker !== undefined && !byWorker.has(worker)) byWorker.set(worker, agent);
    else agent.destroy();
  }
  return byWorker;
}

/** `GET /api/events` over a pinned connection; the event names and data seen so far. */
function eventStream(base: string, agent: Agent, token: string) {
  const events: { event: string; data: unknown }[] = [];
  let response: IncomingMessage | undefined;
  const opened = new Promise<boolean>((resolve, reject) => {
    const req = request(
      `${base}/api/events`,
      { agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        response = res;
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const name = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (name && data !== undefined) events.push({ event: name, data: JSON.parse(data) });
          }
        });
        res.on('error', () => {});
        expect(res.statusCode).toBe(200);
        resolve(req.reusedSocket);
      },
    );
    req.on('error', reject);
    req.end();
  });
  return { events, opened, close: () => response?.destroy() };
}

/** An inbound call's voice webhook, signed as Twilio signs it, over a pinned connection. */
function voiceWebhook(base: string, agent: Agent, callSid: string) {
  const params = {
    CallSid: callSid,
    AccountSid: ACCOUNT_SID,
    From: '+14155550142',
    To: NUMBER,
    CallStatus: 'ringing',
    Direction: 'inbound',
  };
  const signature = twilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/api/twiml/connect-stream`, params);
  return send(base, agent, 'POST', '/api/twiml/connect-stream', {
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: encodeForm(params),
  });
}

const buses = [{ bus: 'the cluster primary' }, ...(redis ? [{ bus: 'Redis' }] : [])];

describe.skipIf(!postgres).each(buses)('WORKERS=2 on Postgres, live events through $bus', ({ bus }) => {
  let database: Awaited<ReturnType<typeof createEmptyPostgresDatabase>>;
  let server: ServerProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-workers-'));
  const agents: Agent[] = [];

  beforeAll(async () => {
    database = await createEmptyPostgresDatabase();
    server = await startServerProcess(
      {
        WORKERS: '2',
        DATABASE_URL: database.url,
        ...(bus === 'Redis' ? { REDIS_URL: TEST_REDIS_URL } : {}),
        APP_SECRET: randomUUID() + randomUUID(),
        DATA_DIR: dataDir,
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        PUBLIC_URL,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_PHONE_NUMBER: NUMBER,
        OPENAI_API_KEY: 'sk-several-workers-fake-key',
      },
      { startTimeoutMs: START_TIMEOUT_MS },
    );
  }, START_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    for (const agent of agents) agent.destroy();
    await server?.stop(60_000);
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);

  it('serves from two workers; a call reaching one shows live on the other; SIGTERM drains both', async () => {
    const pinned = await connectionsToEachWorker(server.url, 2);
    agents.push(...pinned.values());
    expect([...pinned.keys()].sort()).toHaveLength(2);
    const [watcher, answerer] = [...pinned.values()] as [Agent, Agent];

    const login = await send(server.url, answerer, 'POST', '/api/auth/login', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    expect(login.status).toBe(200);
    const { token } = JSON.parse(login.body) as { token: string };

    const stream = eventStream(server.url, watcher, token);
    expect(await stream.opened, 'the event stream is on the watcher’s worker').toBe(true);
    // The stream subscribes once it is open; give the subscription time to reach the primary/Redis.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const callSid = `CA${randomUUID().replaceAll('-', '')}`;
    const webhook = await voiceWebhook(server.url, answerer, callSid);
    expect(webhook.reused, 'the webhook went to the other worker').toBe(true);
    expect(webhook.status).toBe(200);
    await expect
      .poll(
        () =>
          stream.events.some(
            (e) =>
              e.event === 'call.updated' &&
              (e.data as { providerCallSid?: string }).providerCallSid === callSid,
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    stream.close();
    for (const agent of agents.splice(0)) agent.destroy();

    expect(await server.stop(60_000), 'the primary exits 0 once both workers drained').toBe(0);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  }, 120_000);
});

describe('WORKERS=2 on the embedded database', () => {
  it('runs one process and says why', { timeout: START_TIMEOUT_MS + 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-workers-embedded-'));
    const server = await startServerProcess(
      { WORKERS: '2', DATA_DIR: dataDir, APP_SECRET: randomUUID() + randomUUID() },
      { startTimeoutMs: START_TIMEOUT_MS },
    );
    try {
      expect(server.output()).toContain(
        'WORKERS=2 ignored: the embedded database runs in one process; set DATABASE_URL to use several',
      );
      const health = (await (await fetch(`${server.url}/health`)).json()) as Record<string, unknown>;
      expect(health.status).toBe('ok');
      expect(health).not.toHaveProperty('worker');
    } finally {
      expect(await server.stop(60_000)).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
