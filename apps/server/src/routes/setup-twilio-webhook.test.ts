import type { SetupItem } from '@switchboard/shared';
import { startTwilioRestFake, type TwilioRestFake } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();
const ACCOUNT = `AC${'7'.repeat(32)}`;
const TOKEN = 'z'.repeat(32);
const PUBLIC_URL = 'https://sb.example.test';
const VOICE = `${PUBLIC_URL}/api/twiml/connect-stream`;
const STATUS = `${PUBLIC_URL}/api/twiml/status`;

const webhookItem = async (t: TestApp, org: SeededOrg): Promise<SetupItem> => {
  const items: SetupItem[] = (await t.as(org.tokens.viewer).get('/api/setup')).json().items;
  const item = items.find((i) => i.id === 'twilio_webhook');
  if (!item) throw new Error('no twilio_webhook item');
  return item;
};

describe.each(kinds)('the Twilio number webhook step on %s', (kind) => {
  let t: TestApp;
  let twilio: TwilioRestFake;
  beforeAll(async () => {
    twilio = await startTwilioRestFake({ accountSid: ACCOUNT, authToken: TOKEN });
    t = await buildTestApp(kind, { env: { PUBLIC_URL, TWILIO_API_BASE_URL: twilio.url } });
  });
  afterAll(async () => {
    await t.close();
    await twilio.close();
  });

  const connect = async (org: SeededOrg, e164: string) => {
    const admin = t.as(org.tokens.admin);
    await admin.put('/api/integrations/twilio', {
      config: { accountSid: ACCOUNT },
      secrets: { authToken: TOKEN },
    });
    expect((await admin.post('/api/phone-numbers', { number: e164, agentId: org.agent.id })).statusCode).toBe(
      201,
    );
  };

  it('reads the number from Twilio, says where its calls go, and points it here with one request', async () => {
    const org = await t.seedOrg();
    twilio.addPhoneNumber('+14155550161', { voice_url: 'https://demo.twilio.com/welcome/voice/' });
    await connect(org, '+14155550161');

    const before = await webhookItem(t, org);
    expect(before).toMatchObject({ ok: false, optional: false, fix: 'twilio_webhook' });
    expect(before.message).toContain('Calls to +14155550161 go to https://demo.twilio.com/welcome/voice/');

    expect((await t.as(org.tokens.agent).post('/api/setup/twilio-webhook', {})).statusCode).toBe(403);
    const set = await t.as(org.tokens.admin).post('/api/setup/twilio-webhook', {});
    expect(set.statusCode).toBe(200);
    expect(set.json().results).toEqual([
      {
        phoneNumber: '+14155550161',
        ok: true,
        message: 'Calls and texts to +14155550161 now reach this server.',
      },
    ]);
    const number = twilio.phoneNumbers.find((n) => n.phone_number === '+14155550161');
    expect(number).toMatchObject({
      voice_url: VOICE,
      voice_method: 'POST',
      status_callback: STATUS,
      status_callback_method: 'POST',
      sms_url: `${PUBLIC_URL}/api/twiml/sms`,
    });

    const after = await webhookItem(t, org);
    expect(after).toMatchObject({
      ok: true,
      message: 'Calls to +14155550161 reach this server, with status callbacks.',
    });
    expect(after.fix).toBeUndefined();
  });

  it('says when the number is not in the Twilio account', async () => {
    const org = await t.seedOrg();
    await connect(org, '+14155550162');
    const item = await webhookItem(t, org);
    expect(item).toMatchObject({ ok: false });
    expect(item.message).toMatch(/\+14155550162 is not a number of this Twilio account/);
    expect(item.fix).toBeUndefined();
    const set = await t.as(org.tokens.admin).post('/api/setup/twilio-webhook', {});
    expect(set.json().results[0]).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a number/),
    });
  });

  it('refuses with 409 and plain words while Twilio or a number is missing', async () => {
    const org = await t.seedOrg();
    const res = await t.as(org.tokens.admin).post('/api/setup/twilio-webhook', {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/Twilio Account SID/);
    const item = await webhookItem(t, org);
    expect(item).toMatchObject({ ok: false, action: null });
  });

  it('when Twilio cannot be read, says how to set it by hand without holding the checklist back', async () => {
    const org = await t.seedOrg();
    twilio.addPhoneNumber('+14155550163');
    await connect(org, '+14155550163');
    twilio.failNext({
      status: 500,
      code: 20500,
      message: 'Internal Server Error',
      match: { path: 'IncomingPhoneNumbers' },
    });
    const item = await webhookItem(t, org);
    expect(item).toMatchObject({ ok: false, optional: true });
    expect(item.message).toContain(VOICE);
    expect(item.message).toContain(STATUS);
  });
});
