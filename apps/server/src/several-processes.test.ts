/**
 * Several server processes on one database, proven with two real `main.ts` processes started at
 * once on a fresh, empty Postgres database and one Redis (the compose.yaml deployment): both
 * migrate safely; a call answered by one (simulated Twilio + fake OpenAI Realtime from the test
 * kit) shows live on the other's event stream; a hang-up from the other ends it (through the
 * Twilio REST API, as in production); login rate limits are shared, per caller behind a proxy.
 * Runs only when Postgres and Redis are both reachable (skipped with a warning otherwise; either
 * SWITCHBOARD_TEST_*=required makes that an error).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, MIGRATIONS_DIR } from '@switchboard/db';
import { createEmptyPostgresDatabase, testPostgresReachable } from '@switchboard/db/testing';
import type { Call } from '@switchboard/shared';
import {
  type FakeOpenAIRealtime,
  mulawTone,
  sendStatusCallback,
  startFakeOpenAIRealtime,
  startInboundCall,
  startTwilioRestFake,
  type TwilioRestFake,
} from '@switchboard/testkit';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, testRedisReachable } from './testing/redis.ts';
import {
  apiRequest,
  loginAs,
  openEventStream,
  type ServerProcess,
  type SseReader,
  startServerProcess,
} from './testing/server-process.ts';

const postgres = await testPostgresReachable();
const redis = await testRedisReachable();
if (!postgres || !redis)
  console.warn(
    '[switchboard tests] several-processes.test.ts needs Postgres and Redis: skipped ' +
      `(Postgres ${postgres ? 'ok' : 'unreachable'}, Redis ${redis ? 'ok' : 'unreachable'}).`,
  );

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'several-processes-auth-token';
const PUBLIC_URL = 'https://switchboard.several.example';
const NUMBER = '+14155550177';
const CALLER = '+14155550142';
const OWNER = { email: 'owner@several.example', password: 'correct-horse-battery-staple' };

const api = apiRequest;
const login = (base: string) => loginAs(base, OWNER);

describe.skipIf(!postgres || !redis)(
  'two server processes on one Postgres and one Redis',
  { timeout: 120_000 },
  () => {
    let database: Awaited<ReturnType<typeof createEmptyPostgresDatabase>>;
    let twilio: TwilioRestFake;
    let openai: FakeOpenAIRealtime;
    let one: ServerProcess;
    let two: ServerProcess;
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-several-'));

    beforeAll(async () => {
      database = await createEmptyPostgresDatabase();
      twilio = await startTwilioRestFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
      openai = await startFakeOpenAIRealtime({
        speed: 4,
        script: [
          { on: 'greeting', say: { text: 'Hello from the first process, this is Ava.' } },
          { on: 'user_turn', userTranscript: 'Can the other process hear this?', say: { text: 'It can.' } },
        ],
      });
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        // Shared, as compose.yaml requires: sessions made by one process are valid on the other.
        APP_SECRET: randomUUID() + randomUUID(),
        DATA_DIR: dataDir,
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        PUBLIC_URL,
        TRUST_PROXY: 'true',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_PHONE_NUMBER: NUMBER,
        TWILIO_API_BASE_URL: twilio.url,
        OPENAI_API_KEY: 'sk-several-fake-key',
        OPENAI_REALTIME_URL: openai.url,
      };
      // Both at once on the empty database: each migrates and bootstraps on start.
      [one, two] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    }, 180_000);

    afterAll(async () => {
      const codes = await Promise.all([one?.stop(), two?.stop()]);
      await openai?.close();
      await twilio?.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
      // Both drained and exited cleanly on SIGTERM.
      expect(codes).toEqual([0, 0]);
    }, 60_000);

    it('both migrated the same empty database at once: every migration applied exactly once', async () => {
      const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
        entries: unknown[];
      };
      const db = await createDatabase({ databaseUrl: database.url, poolSize: 1 });
      try {
        const rows = await db.db.execute(sql`select hash from drizzle.__drizzle_migrations`);
        const hashes = (rows as unknown as { rows: { hash: string }[] }).rows.map((r) => r.hash);
        expect(hashes).toHaveLength(journal.entries.length);
        expect(new Set(hashes).size).toBe(hashes.length);
        const owners = await db.db.execute(
          sql`select count(*)::int as n from users where email = ${OWNER.email}`,
        );
        expect((owners as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
      } finally {
        await db.close();
      }
      for (const server of [one, two]) {
        expect((await api<{ status: string }>(server.url, 'GET', '/health')).body.status).toBe('ok');
      }
    });

    it('shows a call answered by one process live on the other, and hangs it up from the other', async () => {
      // The dashboard is connected to process two; the call reaches process one.
      const token = await login(two.url);
      const events: SseReader = await openEventStream(two.url, token);
      try {
        const call = await startInboundCall({
          url: `${one.url}/api/twiml/connect-stream`,
          signatureUrl: `${PUBLIC_URL}/api/twiml/connect-stream`,
          authToken: AUTH_TOKEN,
          params: { To: NUMBER, From: CALLER },
        });
        expect(call.stream, 'process one answered with a media stream').not.toBeNull();
        const stream = call.stream!;
        // Twilio knows its calls: the other process can end this one through the REST API.
        twilio.addInboundCall(call.callSid, { From: CALLER, To: NUMBER });

        const started = await events.waitFor(
          (e) => e.event === 'call.updated' && (e.data as Call).providerCallSid === call.callSid,
        );
        const callId = (started.data as Call).id;
        await events.waitFor(
          (e) =>
            e.event === 'call.transcript' &&
            (e.data as { callId: string; text: string }).callId === callId &&
            (e.data as { text: string }).text.includes('Hello from the first process'),
        );
        await stream.sendAudio(mulawTone(440, 800));
        await stream.sendSilence(1200);
        await events.waitFor(
          (e) => e.event === 'call.transcript' && (e.data as { text: string }).text === 'It can.',
        );

        // Twilio's side of a REST hang-up: the stream stops, then the status callback comes.
        twilio.once('call_updated', (updated) => {
          if (updated.sid !== call.callSid) return;
          void stream.stop().then(() =>
            sendStatusCallback({
              url: `${two.url}/api/twiml/status`,
              signatureUrl: `${PUBLIC_URL}/api/twiml/status`,
              authToken: AUTH_TOKEN,
              callStatus: 'completed',
              sequenceNumber: 3,
              callDuration: 5,
              params: { CallSid: call.callSid, AccountSid: ACCOUNT_SID, From: CALLER, To: NUMBER },
            }),
          );
        });
        const hangup = await api<{ ok: boolean }>(two.url, 'POST', `/api/calls/${callId}/hangup`, token, {});
        expect(hangup.status).toBe(202);
        expect(twilio.getCall(call.callSid)?.updates.at(-1)?.Status).toBe('completed');

        await events.waitFor(
          (e) =>
            e.event === 'call.updated' &&
            (e.data as Call).id === callId &&
            (e.data as Call).status === 'completed',
        );
        await expect
          .poll(async () => (await api<Call>(one.url, 'GET', `/api/calls/${callId}`, token)).body.status, {
            timeout: 15_000,
          })
          .toBe('completed');
        expect(stream.closeInfo).not.toBeNull();
      } finally {
        events.close();
      }
    });

    it('shares the login rate limit between the processes, per caller behind the proxy', async () => {
      const email = `nobody-${randomUUID()}@several.example`;
      const attempt = async (server: ServerProcess, ip: string, as = email) =>
        (
          await fetch(`${server.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
            body: JSON.stringify({ email: as, password: 'wrong password' }),
          })
        ).status;
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push(await attempt(i % 2 ? two : one, '203.0.113.7'));
      expect(statuses).toEqual(Array(10).fill(401));
      expect(await attempt(one, '203.0.113.7')).toBe(429);
      expect(await attempt(two, '203.0.113.7')).toBe(429);
      // The account stays locked from any address (LOGIN_FAILURES_PER_ACCOUNT) …
      expect(await attempt(two, '198.51.100.9')).toBe(429);
      // … while another caller (as Caddy reports it in X-Forwarded-For) signing in to another
      // account has its own allowance.
      expect(await attempt(two, '198.51.100.9', `other-${randomUUID()}@several.example`)).toBe(401);
    });
  },
);
