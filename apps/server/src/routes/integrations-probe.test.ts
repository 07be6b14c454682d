/**
 * "Test connection" against the test kit's fakes (Twilio REST, OpenAI Realtime, Gemini Live)
 * and small local stand-ins for what the kit does not simulate: Twilio's Accounts resource and
 * the Calendar free/busy endpoint (which checks the service account's signed token).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditLog } from '@switchboard/db';
import {
  type FakeGeminiLive,
  type FakeOpenAIRealtime,
  startFakeGeminiLive,
  startFakeOpenAIRealtime,
  startTwilioRestFake,
  type TwilioRestFake,
} from '@switchboard/testkit';
import { and, eq } from 'drizzle-orm';
import { importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token-9f3a';
const OPENAI_KEY = 'sk-test-openai-key-Xy7Q';
const GEMINI_KEY = 'gemini-test-key-1234';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SERVICE_ACCOUNT = JSON.stringify({
  client_email: 'bot@example.iam.gserviceaccount.com',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Twilio's `GET /2010-04-01/Accounts/{Sid}.json` with basic auth (not in the kit's REST fake). */
function twilioAccountsFake(): Server {
  return createServer((req, res) => {
    const expected = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;
    res.setHeader('content-type', 'application/json');
    if (req.headers.authorization !== expected) {
      res.writeHead(401).end(JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }));
    } else if (req.method === 'GET' && req.url === `/2010-04-01/Accounts/${SID}.json`) {
      res.end(JSON.stringify({ sid: SID, friendly_name: 'Maple Dental', status: 'active', type: 'Full' }));
    } else {
      res.writeHead(404).end(JSON.stringify({ code: 20404, message: 'Not found', status: 404 }));
    }
  });
}

/** Calendar free/busy: 401 unless signed by the service account; `errors` for unknown calendars. */
async function calendarFake(): Promise<Server> {
  const key = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
  return createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    res.setHeader('content-type', 'application/json');
    try {
      await jwtVerify((req.headers.authorization ?? '').replace(/^Bearer /, ''), key);
    } catch {
      res.writeHead(401).end(JSON.stringify({ error: { code: 401, message: 'Invalid Credentials' } }));
      return;
    }
    const id = (JSON.parse(body) as { items: Array<{ id: string }> }).items[0]?.id ?? '';
    const entry =
      id === 'team@example.com' ? { busy: [] } : { errors: [{ domain: 'global', reason: 'notFound' }] };
    res.end(JSON.stringify({ calendars: { [id]: entry } }));
  });
}

describe.each(kinds)('POST /api/integrations/:provider/test on %s', (kind) => {
  let t: TestApp;
  let rest: TwilioRestFake;
  let accounts: Server;
  let calendar: Server;
  let openai: FakeOpenAIRealtime;
  let gemini: FakeGeminiLive;

  beforeAll(async () => {
    rest = await startTwilioRestFake({ accountSid: SID, authToken: TOKEN });
    accounts = twilioAccountsFake();
    calendar = await calendarFake();
    openai = await startFakeOpenAIRealtime({ apiKey: OPENAI_KEY });
    gemini = await startFakeGeminiLive({ apiKey: GEMINI_KEY });
    t = await buildTestApp(kind, {
      env: {
        TWILIO_API_BASE_URL: await listen(accounts),
        OPENAI_REALTIME_URL: openai.url,
        GEMINI_BASE_URL: gemini.url,
        GOOGLE_CALENDAR_API_URL: await listen(calendar),
        // The environment's key is wrong: organizations' own keys must be the ones tested.
        OPENAI_API_KEY: 'sk-env-wrong-key-0000',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([rest.close(), openai.close(), gemini.close()]);
    for (const server of [accounts, calendar]) {
      server.closeAllConnections();
      server.close();
    }
  });

  const listed = async (token: string, provider: string) =>
    (await t.as(token).get('/api/integrations'))
      .json()
      .find((i: { provider: string }) => i.provider === provider);

  it('twilio: fetches the account with the saved credentials and stores the outcome', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    await admin.put('/api/integrations/twilio', {
      config: { accountSid: SID },
      secrets: { authToken: TOKEN },
    });
    const ok = await admin.post('/api/integrations/twilio/test');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, message: 'Connected to Twilio account “Maple Dental”' });
    expect(await listed(org.tokens.viewer, 'twilio')).toMatchObject({
      status: 'ok',
      lastTestedAt: expect.any(String),
      lastError: null,
    });

    await admin.put('/api/integrations/twilio', {
      config: { accountSid: SID },
      secrets: { authToken: 'wrong-token-0000' },
    });
    expect(await listed(org.tokens.viewer, 'twilio')).toMatchObject({
      status: 'untested',
      lastTestedAt: null,
    });
    const failed = (await admin.post('/api/integrations/twilio/test')).json();
    expect(failed).toEqual({
      ok: false,
      message: expect.stringMatching(/^Twilio did not accept the Account SID and auth token/),
      detail: 'Twilio rejected the Account SID or auth token',
    });
    expect(await listed(org.tokens.viewer, 'twilio')).toMatchObject({
      status: 'failed',
      lastError: 'Twilio rejected the Account SID or auth token',
      config: { accountSid: SID },
    });
    const audits = await t.ctx.db
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, org.id), eq(auditLog.action, 'integration.test')));
    expect(audits.map((a) => a.details)).toEqual([
      { provider: 'twilio', ok: true },
      { provider: 'twilio', ok: false },
    ]);
  });

  it('twilio: reports what the test kit’s REST fake answers (it has no Accounts resource)', async () => {
    const other = await buildTestApp(kind, { env: { TWILIO_API_BASE_URL: rest.url } });
    try {
      const org = await other.seedOrg();
      const admin = other.as(org.tokens.admin);
      await admin.put('/api/integrations/twilio', {
        config: { accountSid: SID },
        secrets: { authToken: 'nope-nope-nope' },
      });
      expect((await admin.post('/api/integrations/twilio/test')).json()).toMatchObject({
        ok: false,
        detail: 'Twilio rejected the Account SID or auth token',
      });
      expect(rest.requests.at(-1)).toMatchObject({
        method: 'GET',
        auth: { username: SID, password: 'nope-nope-nope' },
      });
    } finally {
      await other.close();
    }
  });

  it('openai: opens a Realtime session and waits for session.created', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    // Environment key first (wrong), then the organization's (right).
    const envResult = (await admin.post('/api/integrations/openai/test')).json();
    expect(envResult.ok).toBe(false);
    expect(envResult.message).toMatch(/^OpenAI did not accept the API key/);
    expect(envResult.detail).toContain('HTTP 401');
    expect(JSON.stringify(envResult)).not.toContain('sk-env-wrong-key-0000');
    expect(await listed(org.tokens.viewer, 'openai')).toMatchObject({
      source: 'environment',
      status: 'failed',
    });

    const sessions = openai.sessions.length;
    await admin.put('/api/integrations/openai', { secrets: { apiKey: OPENAI_KEY } });
    expect((await admin.post('/api/integrations/openai/test')).json()).toEqual({
      ok: true,
      message: 'Connected to OpenAI Realtime (gpt-realtime)',
    });
    expect(openai.sessions).toHaveLength(sessions + 1);
    expect(openai.sessions.at(-1)?.model).toBe('gpt-realtime');
    await openai.waitFor(() => openai.sessions.at(-1)?.closeInfo !== undefined, 3000);
    expect(await listed(org.tokens.viewer, 'openai')).toMatchObject({
      source: 'organization',
      status: 'ok',
      lastError: null,
    });
  });

  it('gemini: sends a setup and waits for setupComplete', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    await admin.put('/api/integrations/gemini', { secrets: { apiKey: GEMINI_KEY } });
    expect((await admin.post('/api/integrations/gemini/test')).json()).toEqual({
      ok: true,
      message: 'Connected to Gemini Live (gemini-live-2.5-flash-preview)',
    });
    await admin.put('/api/integrations/gemini', { secrets: { apiKey: 'gemini-wrong-key-99' } });
    const failed = (await admin.post('/api/integrations/gemini/test')).json();
    expect(failed).toEqual({
      ok: false,
      message: expect.stringMatching(/^Google Gemini did not accept the API key/),
      detail: 'Gemini Live closed the connection (1007): API key not valid. Please pass a valid API key.',
    });
  });

  it('google_calendar: runs a free/busy query as the service account', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    await admin.put('/api/integrations/google_calendar', {
      config: { calendarId: 'team@example.com' },
      secrets: { serviceAccountJson: SERVICE_ACCOUNT },
    });
    expect((await admin.post('/api/integrations/google_calendar/test')).json()).toEqual({
      ok: true,
      message: 'Read the free/busy times of calendar “team@example.com”',
    });
    await admin.put('/api/integrations/google_calendar', { config: { calendarId: 'someone@example.com' } });
    expect((await admin.post('/api/integrations/google_calendar/test')).json()).toEqual({
      ok: false,
      message: expect.stringMatching(/^The calendar was not found/),
      detail: 'Google Calendar: Google Calendar free/busy failed: notFound',
    });
  });

  it('tests unsaved values without storing them, blank secrets falling back to the saved ones', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const unsaved = await admin.post('/api/integrations/twilio/test', {
      config: { accountSid: SID },
      secrets: { authToken: TOKEN },
    });
    expect(unsaved.json()).toEqual({ ok: true, message: 'Connected to Twilio account “Maple Dental”' });
    expect(await listed(org.tokens.viewer, 'twilio')).toMatchObject({
      configured: false,
      status: 'untested',
    });

    await admin.put('/api/integrations/twilio', {
      config: { accountSid: SID },
      secrets: { authToken: TOKEN },
    });
    const blank = await admin.post('/api/integrations/twilio/test', {
      config: { accountSid: SID },
      secrets: { authToken: '' },
    });
    expect(blank.json().ok).toBe(true);
    const wrong = await admin.post('/api/integrations/twilio/test', {
      config: { accountSid: SID },
      secrets: { authToken: 'not-the-token-000' },
    });
    expect(wrong.json()).toMatchObject({ ok: false, message: expect.stringMatching(/did not accept/) });
    expect(await listed(org.tokens.viewer, 'twilio')).toMatchObject({ status: 'untested' });

    // Nothing saved and nothing in the environment: the values are incomplete.
    const incomplete = await admin.post('/api/integrations/google_calendar/test', {
      config: { calendarId: 'team@example.com' },
      secrets: {},
    });
    expect(incomplete.statusCode).toBe(400);
  });

  it('answers "not configured" without storing anything', async () => {
    const org = await t.seedOrg();
    expect((await t.as(org.tokens.admin).post('/api/integrations/gemini/test')).json()).toEqual({
      ok: false,
      message: 'Gemini is not configured',
    });
    expect(await listed(org.tokens.viewer, 'gemini')).toMatchObject({
      status: 'untested',
      lastTestedAt: null,
    });
  });
});
