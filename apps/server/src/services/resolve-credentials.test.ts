import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integrations } from '@switchboard/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecrets } from '../secrets.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { resolveCredentials } from './resolve-credentials.ts';

const kinds = await testDbKinds();
const SID = 'AC0123456789abcdef0123456789abcdef';
const ACCOUNT = { client_email: 'bot@example.iam.gserviceaccount.com', private_key: 'pem' };

describe.each(kinds)('resolveCredentials on %s', (kind) => {
  let t: TestApp;
  let dir: string;
  const warnings: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-creds-'));
    writeFileSync(join(dir, 'sa.json'), JSON.stringify(ACCOUNT));
    t = await buildTestApp(kind, {
      env: {
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: 'env-token-abcdef',
        TWILIO_PHONE_NUMBER: '+14155550100',
        OPENAI_API_KEY: 'sk-env-openai-key',
        GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'sa.json'),
      },
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('falls back to the environment', async () => {
    const org = await t.seedOrg();
    expect(await resolveCredentials(t.ctx, org.id)).toEqual({
      twilio: { accountSid: SID, authToken: 'env-token-abcdef', phoneNumber: '+14155550100' },
      openai: { apiKey: 'sk-env-openai-key' },
      googleCalendar: { calendarId: 'primary', serviceAccount: ACCOUNT },
    });
  });

  it('prefers the organization’s own credentials, provider by provider', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    await admin.put('/api/integrations/twilio', {
      config: { accountSid: SID },
      secrets: { authToken: 'org-token-123456' },
    });
    await admin.put('/api/integrations/gemini', { secrets: { apiKey: 'org-gemini-key' } });
    const other = await t.seedOrg();
    const resolved = await resolveCredentials(
      { db: t.ctx.db, secrets: t.ctx.secrets, config: t.ctx.config },
      org.id,
    );
    expect(resolved.twilio).toEqual({ accountSid: SID, authToken: 'org-token-123456' });
    expect(resolved.gemini).toEqual({ apiKey: 'org-gemini-key' });
    expect(resolved.openai).toEqual({ apiKey: 'sk-env-openai-key' });
    expect((await resolveCredentials(t.ctx, other.id)).gemini).toBeUndefined();
  });

  it('logs and ignores stored secrets that no longer decrypt', async () => {
    const org = await t.seedOrg();
    await t.ctx.db.insert(integrations).values({
      organizationId: org.id,
      provider: 'openai',
      secretCiphertext: createSecrets('some-other-app-secret-0123456789abcdef').encrypt(
        '{"apiKey":"sk-old"}',
      ),
    });
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const resolved = await resolveCredentials({ ...t.ctx, log }, org.id);
    expect(resolved.openai).toEqual({ apiKey: 'sk-env-openai-key' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ organizationId: org.id, provider: 'openai' });
    expect(JSON.stringify(warnings)).not.toContain('sk-old');
  });
});
