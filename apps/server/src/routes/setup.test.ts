import type { SetupItem } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();
const byId = (items: SetupItem[]) => Object.fromEntries(items.map((i) => [i.id, i]));

describe.each(kinds)('GET /api/setup on %s', (kind) => {
  let t: TestApp;
  let unreachable: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    // An https address nothing answers on: the server's own reachability check must fail.
    unreachable = await buildTestApp(kind, { env: { PUBLIC_URL: 'https://127.0.0.1:9' } });
  });
  afterAll(async () => {
    await t.close();
    await unreachable.close();
  });

  it('lists everything missing at once, in plain words, with where to fix it', async () => {
    const org = await t.seedOrg();
    const res = await t.as(org.tokens.viewer).get('/api/setup');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.done).toBe(false);
    const items = byId(body.items);
    expect(Object.keys(items)).toEqual([
      'twilio',
      'model',
      'phone_number',
      'public_url',
      'twilio_webhook',
      'calendar',
      'first_call',
    ]);
    expect(items.twilio).toMatchObject({ ok: false, action: '/settings/integrations' });
    expect(body.items.every((i: SetupItem & { key: string }) => i.key === i.id)).toBe(true);
    expect(items.twilio_webhook).toMatchObject({ ok: false, optional: false, action: null });
    expect(items.model!.message).toMatch(/OpenAI or Google Gemini API key/);
    expect(items.public_url!.message).toMatch(/PUBLIC_URL/);
    expect(items.calendar).toMatchObject({ ok: false, optional: true });
    expect(items.first_call!.ok).toBe(false);
    expect(JSON.stringify(body)).not.toMatch(/undefined|ENOTFOUND|apiKey/);
  });

  it('turns steps green as they are done', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    expect(
      (await admin.put('/api/integrations/openai', { secrets: { apiKey: 'sk-test-1234567890' } })).statusCode,
    ).toBe(200);
    await admin.put('/api/integrations/twilio', {
      config: { accountSid: `AC${'0'.repeat(32)}` },
      secrets: { authToken: 'x'.repeat(32) },
    });
    const created = await admin.post('/api/phone-numbers', { number: '+14155550177', agentId: org.agent.id });
    expect(created.statusCode).toBe(201);
    const items = byId((await admin.get('/api/setup')).json().items);
    expect(items.model).toMatchObject({ ok: true, message: 'OpenAI key is set.' });
    expect(items.twilio).toMatchObject({ ok: false, message: expect.stringMatching(/not tested yet/) });
    expect(items.phone_number).toMatchObject({ ok: true, message: '+14155550177 is answered by an agent.' });
  });

  it('calls its own PUBLIC_URL/health and says when it does not answer', async () => {
    const org = await unreachable.seedOrg();
    const items = byId((await unreachable.as(org.tokens.owner).get('/api/setup')).json().items);
    expect(items.public_url).toMatchObject({ ok: false, message: expect.stringMatching(/does not answer/) });
  });

  it('needs a signed-in caller', async () => {
    expect((await t.as(undefined).get('/api/setup')).statusCode).toBe(401);
  });
});
