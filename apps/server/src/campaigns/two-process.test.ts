/**
 * Two real server processes (`node apps/server/src/main.ts`) on one Postgres database run the
 * same campaign against the Twilio fake: every prospect is dialled exactly once, and the
 * campaign completes. Postgres only (PGlite is one process's embedded database).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, type TestDatabase, testDbKinds } from '@switchboard/db/testing';
import { sendStatusCallback, startTwilioRestFake, type TwilioRestFake } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zoneAwayFromMidnight } from '../testing/fixtures.ts';
import { apiRequest, loginAs } from '../testing/server-process.ts';

const kinds = await testDbKinds();
const REPO = resolve(import.meta.dirname, '../../../..');
const SID = `AC${'7'.repeat(32)}`;
const TOKEN = 'two-process-token';
const PUBLIC_URL = 'https://bridge.example.com';
const ADMIN = { email: 'owner@example.com', password: 'correct-horse-battery-staple' };

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

interface Proc {
  url: string;
  child: ChildProcess;
  dir: string;
}

async function startProcess(databaseUrl: string, twilioUrl: string): Promise<Proc> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-2p-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO, 'apps/server/src/main.ts')], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dir,
      DATABASE_URL: databaseUrl,
      APP_SECRET: 'two-process-app-secret-0123456789abcdef0123456789',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PUBLIC_URL,
      SHARE_ENV_CREDENTIALS: 'true',
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_PHONE_NUMBER: '+15005550006',
      TWILIO_API_BASE_URL: twilioUrl,
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
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 60_000);
    child.stdout?.on('data', () => {
      if (/running at/.test(out)) {
        clearTimeout(timer);
        done();
      }
    });
    child.once('exit', (code) => fail(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, dir };
}

async function stopProcess(p: Proc | undefined): Promise<void> {
  if (!p) return;
  if (p.child.exitCode === null) {
    const exited = new Promise((r) => p.child.once('exit', r));
    p.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
  }
  rmSync(p.dir, { recursive: true, force: true });
}

describe.runIf(kinds.includes('postgres'))('two server processes, one campaign', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let twilio: TwilioRestFake;
  let a: Proc | undefined;
  let b: Proc | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    twilio = await startTwilioRestFake({ accountSid: SID, authToken: TOKEN });
    // The first start bootstraps the organization; the second joins it.
    a = await startProcess(db.url!, twilio.url);
    b = await startProcess(db.url!, twilio.url);
  }, 150_000);
  afterAll(async () => {
    await Promise.all([stopProcess(a), stopProcess(b)]);
    await twilio?.close();
    await db?.close();
  }, 60_000);

  it('dials every prospect exactly once and completes', async () => {
    const token = await loginAs(a!.url, ADMIN);
    const ids: string[] = [];
    const zone = zoneAwayFromMidnight();
    for (let i = 0; i < 30; i++) {
      const res = await apiRequest<{ id: string }>(b!.url, 'POST', '/api/prospects', token, {
        phone: `+1415555${String(2000 + i)}`,
        timezone: zone,
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const campaign = await apiRequest<{ id: string }>(a!.url, 'POST', '/api/campaigns', token, {
      name: 'Two processes',
      schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' },
      defaultTimezone: zone,
      maxConcurrent: 6,
      callsPerMinute: 600,
      retry: { maxAttempts: 1, delayS: { no_answer: 60, busy: 60, voicemail: 60, failed: 60 } },
    });
    const id = campaign.body.id;
    await apiRequest(a!.url, 'POST', `/api/campaigns/${id}/prospects`, token, { prospectIds: ids });
    expect((await apiRequest(b!.url, 'POST', `/api/campaigns/${id}/start`, token)).status).toBe(200);

    // Answer Twilio's side: each new call completes, its callback sent to either process.
    const finished = new Set<string>();
    let seq = 0;
    const deadline = Date.now() + 120_000;
    let status = 'running';
    while (status !== 'completed') {
      if (Date.now() > deadline) throw new Error('the campaign did not complete in time');
      let live = 0;
      for (const fake of twilio.calls.values()) {
        if (finished.has(fake.sid)) continue;
        live++;
        const target = seq % 2 === 0 ? a! : b!;
        const statusCallback = String(fake.params.StatusCallback);
        const res = await sendStatusCallback({
          url: statusCallback.replace(PUBLIC_URL, target.url),
          signatureUrl: statusCallback,
          authToken: TOKEN,
          callStatus: 'completed',
          sequenceNumber: seq++,
          callDuration: 5,
          params: {
            CallSid: fake.sid,
            AccountSid: SID,
            Direction: 'outbound-api',
            From: String(fake.params.From),
            To: String(fake.params.To),
          },
        });
        expect(res.status).toBeLessThan(300);
        finished.add(fake.sid);
      }
      expect(live).toBeLessThanOrEqual(6);
      await new Promise((r) => setTimeout(r, 300));
      status = (await apiRequest<{ status: string }>(a!.url, 'GET', `/api/campaigns/${id}`, token)).body
        .status;
    }
    const dialled = [...twilio.calls.values()].map((c) => String(c.params.To));
    expect(dialled).toHaveLength(30);
    expect(new Set(dialled).size).toBe(30);
    const final = await apiRequest<{ stats: Record<string, unknown> }>(
      b!.url,
      'GET',
      `/api/campaigns/${id}`,
      token,
    );
    expect(final.body.stats).toMatchObject({ total: 30, done: 30, dialing: 0 });
  });
});
