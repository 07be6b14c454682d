import { generateKeyPairSync } from 'node:crypto';
import { auditLog, integrations } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecrets } from '../secrets.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token-9f3a';
const OPENAI_KEY = 'sk-test-openai-key-Xy7Q';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const SERVICE_ACCOUNT = JSON.stringify({
  type: 'service_account',
  client_email: 'bot@example.iam.gserviceaccount.com',
  private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  private_key_id: '0123456789abcdef0123456789abcdefbeef',
});

describe.each(kinds)('integrations on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('lists all four providers, unconfigured, for a new organization', async () => {
    const org = await t.seedOrg();
    const res = await t.as(org.tokens.viewer).get('/api/integrations');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(
      ['twilio', 'openai', 'gemini', 'google_calendar'].map((provider) => ({
        provider,
        configured: false,
        source: null,
        config: {},
        secretsMasked: {},
        status: 'untested',
        lastTestedAt: null,
        lastError: null,
      })),
    );
  });

  it('saves credentials encrypted, masks them, keeps omitted secrets and never returns or logs them', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const put = await admin.put('/api/integrations/twilio', {
      config: { accountSid: SID, phoneNumber: '(415) 555-0199' },
      secrets: { authToken: TOKEN },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      provider: 'twilio',
      configured: true,
      source: 'organization',
      config: { accountSid: SID, phoneNumber: '+14155550199' },
      secretsMasked: { authToken: '••••9f3a' },
      status: 'untested',
    });
    const [row] = await t.ctx.db
      .select()
      .from(integrations)
      .where(and(eq(integrations.organizationId, org.id), eq(integrations.provider, 'twilio')));
    expect(row?.secretCiphertext).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    expect(JSON.parse(t.ctx.secrets.decrypt(row!.secretCiphertext!))).toEqual({ authToken: TOKEN });

    // Blank secrets keep the stored ones; config is replaced (blank = not set).
    const again = await admin.put('/api/integrations/twilio', {
      config: { accountSid: SID, phoneNumber: '' },
      secrets: { authToken: '' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().config).toEqual({ accountSid: SID });
    expect(again.json().secretsMasked).toEqual({ authToken: '••••9f3a' });

    await admin.put('/api/integrations/openai', { secrets: { apiKey: OPENAI_KEY } });
    await admin.put('/api/integrations/google_calendar', {
      config: { calendarId: 'team@example.com' },
      secrets: { serviceAccountJson: SERVICE_ACCOUNT },
    });
    const list = await t.as(org.tokens.viewer).get('/api/integrations');
    const body = JSON.stringify(list.json());
    for (const secret of [TOKEN, OPENAI_KEY, 'PRIVATE KEY', SERVICE_ACCOUNT])
      expect(body).not.toContain(secret);
    const byProvider = Object.fromEntries(list.json().map((i: { provider: string }) => [i.provider, i]));
    expect(byProvider.openai).toMatchObject({ configured: true, secretsMasked: { apiKey: '••••Xy7Q' } });
    expect(byProvider.google_calendar).toMatchObject({
      configured: true,
      config: { calendarId: 'team@example.com' },
      secretsMasked: { serviceAccountJson: '••••beef' },
    });
    expect(byProvider.gemini.configured).toBe(false);

    const audits = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, org.id), eq(auditLog.action, 'integration.update')));
    expect(audits).toHaveLength(4);
    expect(audits[0]?.details).toEqual({
      provider: 'twilio',
      config: ['accountSid', 'phoneNumber'],
      secrets: ['authToken'],
    });
    expect(JSON.stringify(audits)).not.toContain(TOKEN);
  });

  it('validates per provider, with field paths the dashboard maps to its inputs', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const issues = async (provider: string, body: unknown) => {
      const res = await admin.put(`/api/integrations/${provider}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      return res.json().error.details.issues.map((i: { path: string }) => i.path);
    };
    expect(
      await issues('twilio', { config: { accountSid: 'AC123' }, secrets: { authToken: TOKEN } }),
    ).toEqual(['config.accountSid']);
    expect(
      await issues('twilio', { config: { accountSid: SID, phoneNumber: 'call me' }, secrets: {} }),
    ).toEqual(['config.phoneNumber']);
    // First save: every secret is required.
    expect(await issues('twilio', { config: { accountSid: SID } })).toEqual(['secrets.authToken']);
    expect(await issues('openai', { config: { model: 'x' }, secrets: { apiKey: OPENAI_KEY } })).toEqual([
      'config.model',
    ]);
    expect(await issues('openai', { secrets: { apiKey: OPENAI_KEY, extra: 'x' } })).toEqual([
      'secrets.extra',
    ]);
    expect(
      await issues('google_calendar', {
        config: {},
        secrets: { serviceAccountJson: '{"client_email":"x"}' },
      }),
    ).toEqual(['secrets.serviceAccountJson']);
    expect((await admin.put('/api/integrations/slack', { secrets: {} })).statusCode).toBe(400);
    // google_calendar defaults its calendar to the service account's own.
    const calendar = await admin.put('/api/integrations/google_calendar', {
      config: { calendarId: '' },
      secrets: { serviceAccountJson: SERVICE_ACCOUNT },
    });
    expect(calendar.json().config).toEqual({ calendarId: 'primary' });
  });

  it('lets viewers and agents read but not write', async () => {
    const org = await t.seedOrg();
    for (const role of ['viewer', 'agent'] as const) {
      const api = t.as(org.tokens[role]);
      expect((await api.get('/api/integrations')).statusCode).toBe(200);
      expect(
        (await api.put('/api/integrations/openai', { secrets: { apiKey: OPENAI_KEY } })).statusCode,
      ).toBe(403);
      expect((await api.delete('/api/integrations/openai')).statusCode).toBe(403);
      expect((await api.post('/api/integrations/openai/test')).statusCode).toBe(403);
    }
    expect((await t.as(undefined).get('/api/integrations')).statusCode).toBe(401);
  });

  it('keeps organizations apart', async () => {
    const a = await t.seedOrg();
    const b = await t.seedOrg();
    await t.as(b.tokens.admin).put('/api/integrations/openai', { secrets: { apiKey: OPENAI_KEY } });
    const asA = t.as(a.tokens.admin);
    expect((await asA.get('/api/integrations')).json()[1]).toMatchObject({
      provider: 'openai',
      configured: false,
    });
    // A's save, test and delete touch A's row only.
    expect((await asA.post('/api/integrations/openai/test')).json()).toEqual({
      ok: false,
      message: 'OpenAI is not configured',
    });
    await asA.put('/api/integrations/openai', { secrets: { apiKey: 'sk-a-key-for-org-a' } });
    expect((await asA.delete('/api/integrations/openai')).statusCode).toBe(204);
    const asB = (await t.as(b.tokens.viewer).get('/api/integrations')).json()[1];
    expect(asB).toMatchObject({
      configured: true,
      source: 'organization',
      secretsMasked: { apiKey: '••••Xy7Q' },
    });
  });

  it('deletes an organization’s credentials (idempotently)', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    await admin.put('/api/integrations/gemini', { secrets: { apiKey: 'gemini-key-1234' } });
    expect((await admin.delete('/api/integrations/gemini')).statusCode).toBe(204);
    expect((await admin.delete('/api/integrations/gemini')).statusCode).toBe(204);
    expect((await admin.get('/api/integrations')).json()[2]).toMatchObject({
      provider: 'gemini',
      configured: false,
    });
  });

  it('treats secrets that no longer decrypt (APP_SECRET changed) as not configured', async () => {
    const org = await t.seedOrg();
    const foreign = createSecrets('another-app-secret-0123456789abcdef0123456789');
    await t.ctx.db.insert(integrations).values({
      organizationId: org.id,
      provider: 'twilio',
      config: { accountSid: SID },
      secretCiphertext: foreign.encrypt(JSON.stringify({ authToken: TOKEN })),
    });
    const admin = t.as(org.tokens.admin);
    const twilio = (await admin.get('/api/integrations')).json()[0];
    expect(twilio).toMatchObject({
      configured: false,
      source: null,
      config: { accountSid: SID },
      secretsMasked: {},
      status: 'failed',
      lastError: expect.stringContaining('APP_SECRET'),
    });
    // Saving again needs the secrets again, then works.
    const partial = await admin.put('/api/integrations/twilio', { config: { accountSid: SID } });
    expect(partial.json().error.details.issues[0].path).toBe('secrets.authToken');
    const full = await admin.put('/api/integrations/twilio', {
      config: { accountSid: SID },
      secrets: { authToken: TOKEN },
    });
    expect(full.json()).toMatchObject({ configured: true, status: 'untested', lastError: null });
  });
});

describe.each(kinds)('integrations from the environment on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind, {
      env: {
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: 'env-twilio-token-abcd',
        TWILIO_PHONE_NUMBER: '+14155550100',
        GEMINI_API_KEY: 'env-gemini-key-wxyz',
      },
    });
  });
  afterAll(() => t.close());

  it('counts environment variables as configured, and an organization’s own credentials win', async () => {
    const org = await t.seedOrg();
    const list = (await t.as(org.tokens.viewer).get('/api/integrations')).json();
    expect(list[0]).toMatchObject({
      provider: 'twilio',
      configured: true,
      source: 'environment',
      config: { accountSid: SID, phoneNumber: '+14155550100' },
      secretsMasked: { authToken: '••••abcd' },
    });
    expect(list[2]).toMatchObject({ provider: 'gemini', configured: true, source: 'environment' });
    expect(list[1]).toMatchObject({ provider: 'openai', configured: false, source: null });

    await t
      .as(org.tokens.admin)
      .put('/api/integrations/gemini', { secrets: { apiKey: 'org-gemini-key-1111' } });
    const gemini = (await t.as(org.tokens.viewer).get('/api/integrations')).json()[2];
    expect(gemini).toMatchObject({ source: 'organization', secretsMasked: { apiKey: '••••1111' } });
    await t.as(org.tokens.admin).delete('/api/integrations/gemini');
    expect((await t.as(org.tokens.viewer).get('/api/integrations')).json()[2].source).toBe('environment');
  });
});
