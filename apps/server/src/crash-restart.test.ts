/**
 * Issue 11, "restarts and crashes lose nothing", proven with a real kill -9: a real `main.ts`
 * process answers a call (simulated Twilio + fake OpenAI Realtime from the test kit); once
 * several transcript segments are visible through `GET /api/calls/:id` the process is killed
 * with SIGKILL (no drain, no flush) and a new one started on the same database. Every segment
 * seen before the kill is still there, and the reconcile at start closes the call as `failed` /
 * `server_restart` (the agent's maximum duration set to its minimum, 30 s, and
 * RECONCILE_GRACE_S=0, so the test waits ~30 s instead of 32 minutes); it leaves the live list.
 * Runs on a fresh Postgres database (skipped when Postgres is unreachable) and on PGlite in a
 * DATA_DIR (the embedded database reopened after the kill).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmptyPostgresDatabase, testPostgresReachable } from '@switchboard/db/testing';
import {
  type FakeOpenAIRealtime,
  mulawTone,
  startFakeOpenAIRealtime,
  startInboundCall,
  startTwilioRestFake,
  type TwilioRestFake,
} from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest, loginAs, type ServerProcess, startServerProcess } from './testing/server-process.ts';

const postgres = await testPostgresReachable();
if (!postgres)
  console.warn('[switchboard tests] crash-restart.test.ts: Postgres unreachable, its variant skipped.');

const ACCOUNT_SID = `AC${'fedcba9876543210'.repeat(2)}`;
const AUTH_TOKEN = 'crash-restart-auth-token';
const PUBLIC_URL = 'https://switchboard.crash.example';
const NUMBER = '+14155550188';
const CALLER = '+14155550143';
const OWNER = { email: 'owner@crash.example', password: 'correct-horse-battery-staple' };
const MAX_CALL_S = 30;

interface Segment {
  role: string;
  text: string;
  atMs: number;
}
interface CallDetail {
  id: string;
  status: string;
  endReason: string | null;
  transcript: Segment[];
}

const api = apiRequest;
const login = (base: string) => loginAs(base, OWNER);

/** Polls until `probe` returns something, or fails after `timeoutMs` (a bound, not a measure). */
async function until<T>(
  probe: () => Promise<T | null | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const variants = [
  { name: 'Postgres', skip: !postgres },
  { name: 'PGlite in DATA_DIR', skip: false },
] as const;

describe.each(variants)('kill -9 during a call on $name', ({ name, skip }) => {
  describe.skipIf(skip)('', { timeout: 240_000 }, () => {
    let database: Awaited<ReturnType<typeof createEmptyPostgresDatabase>> | undefined;
    let twilio: TwilioRestFake;
    let openai: FakeOpenAIRealtime;
    let first: ServerProcess | undefined;
    let second: ServerProcess | undefined;
    let env: Record<string, string>;
    const dataDir = mkdtempSync(join(tmpdir(), 'sb-crash-'));

    beforeAll(async () => {
      if (name === 'Postgres') database = await createEmptyPostgresDatabase();
      twilio = await startTwilioRestFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
      openai = await startFakeOpenAIRealtime({
        speed: 4,
        script: [
          { on: 'greeting', say: { text: 'Hello, this is Ava from the crash test.' } },
          {
            on: 'user_turn',
            userTranscript: 'First question from the caller.',
            say: { text: 'First answer.' },
          },
          {
            on: 'user_turn',
            userTranscript: 'Second question from the caller.',
            say: { text: 'Second answer.' },
          },
          {
            on: 'user_turn',
            userTranscript: 'Third question from the caller.',
            say: { text: 'Third answer.' },
          },
        ],
      });
      env = {
        ...(database ? { DATABASE_URL: database.url } : {}),
        APP_SECRET: randomUUID() + randomUUID(),
        DATA_DIR: dataDir,
        ADMIN_EMAIL: OWNER.email,
        ADMIN_PASSWORD: OWNER.password,
        PUBLIC_URL,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_PHONE_NUMBER: NUMBER,
        // Twilio (the fake) does not know the call: the reconciler cannot ask it, and decides by age.
        TWILIO_API_BASE_URL: twilio.url,
        OPENAI_API_KEY: 'sk-crash-fake-key',
        OPENAI_REALTIME_URL: openai.url,
        RECONCILE_GRACE_S: '0',
      };
      first = await startServerProcess(env);
    }, 180_000);

    afterAll(async () => {
      await first?.kill();
      await second?.stop();
      await openai?.close();
      await twilio?.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }, 60_000);

    it('keeps every segment written before the kill and closes the call after the restart', async () => {
      const server = first!;
      const token = await login(server.url);
      const agents = await api<{ items: { id: string }[] }>(server.url, 'GET', '/api/agents', token);
      const agentId = agents.body.items[0]!.id;
      const patched = await api(server.url, 'PATCH', `/api/agents/${agentId}`, token, {
        tuning: { maxCallDurationS: MAX_CALL_S },
      });
      expect(patched.status).toBe(200);

      const callStart = Date.now();
      const call = await startInboundCall({
        url: `${server.url}/api/twiml/connect-stream`,
        signatureUrl: `${PUBLIC_URL}/api/twiml/connect-stream`,
        authToken: AUTH_TOKEN,
        params: { To: NUMBER, From: CALLER, AccountSid: ACCOUNT_SID },
      });
      const stream = call.stream!;
      expect(stream, 'the call was answered with a media stream').toBeTruthy();
      const list = await until(
        async () => {
          const res = await api<{ items: CallDetail[] }>(server.url, 'GET', '/api/calls?limit=10', token);
          return res.body.items.find((c) => c.status === 'in-progress');
        },
        30_000,
        'the call in progress',
      );
      const detail = async (base: string, auth: string) =>
        (await api<CallDetail>(base, 'GET', `/api/calls/${list.id}`, auth)).body;

      // The caller speaks twice; wait until the greeting and both turns are on the record.
      for (let turn = 0; turn < 2; turn++) {
        await stream.sendAudio(mulawTone(440, 800));
        await stream.sendSilence(1200);
      }
      const before = await until(
        async () => {
          const seen = await detail(server.url, token);
          return seen.transcript.length >= 4 ? seen : null;
        },
        60_000,
        'four transcript segments',
      );
      expect(before.status).toBe('in-progress');

      await server.kill();
      // Old enough that no process can still be running it (its maximum duration, grace 0).
      const settleAt = callStart + (MAX_CALL_S + 1) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, settleAt - Date.now())));

      second = await startServerProcess(env);
      const again = await login(second.url);
      const after = await until(
        async () => {
          const seen = await detail(second!.url, again);
          return seen.status === 'failed' ? seen : null;
        },
        60_000,
        'the call settled by the reconcile',
      );
      expect(after.endReason).toBe('server_restart');
      for (const segment of before.transcript) {
        expect(after.transcript).toContainEqual(
          expect.objectContaining({ role: segment.role, text: segment.text }),
        );
      }
      const live = await api<{ items: { id: string }[] }>(
        second.url,
        'GET',
        '/api/calls?live=true&limit=200',
        again,
      );
      expect(live.body.items.map((c) => c.id)).not.toContain(list.id);
    });
  });
});
