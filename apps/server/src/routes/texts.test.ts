/**
 * Texts by hand (POST /api/messages through the Twilio fake) and texts received on the
 * organization's number (signed messaging webhook): threading, STOP/START, retries, signatures.
 */
import { doNotCall, messages, phoneNumbers } from '@switchboard/db';
import { encodeForm, startTwilioRestFake, type TwilioRestFake, twilioSignature } from '@switchboard/testkit';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';

const SID = `AC${'d'.repeat(32)}`;
const TOKEN = 'sms-token-123456';
const PUBLIC_URL = 'https://calls.example.test';
const kinds = await testDbKinds();

let sidCounter = 0;
const messageSid = () => `SM${(++sidCounter).toString(16).padStart(32, '0')}`;

describe.each(kinds)('texts on %s', (kind) => {
  let t: TestApp;
  let rest: TwilioRestFake;
  beforeAll(async () => {
    rest = await startTwilioRestFake({ accountSid: SID, authToken: TOKEN });
    t = await buildTestApp(kind, {
      env: {
        PUBLIC_URL,
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_PHONE_NUMBER: '+15005550006',
        TWILIO_API_BASE_URL: rest.url,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await rest?.close();
  });

  /** An organization that owns a number of its own. */
  const seed = async (): Promise<{ org: SeededOrg; ours: string }> => {
    const org = await t.seedOrg();
    const ours = `+1415555${String(1000 + Math.floor(Math.random() * 8999))}`;
    await t.ctx.db.insert(phoneNumbers).values({ organizationId: org.id, e164: ours });
    return { org, ours };
  };

  const inbound = (params: Record<string, string>, token = TOKEN) =>
    t.app.inject({
      method: 'POST',
      url: '/api/twiml/sms',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(token, `${PUBLIC_URL}/api/twiml/sms`, params),
      },
      payload: encodeForm(params),
    });
  const text = (from: string, to: string, body: string, sid = messageSid()) =>
    inbound({ MessageSid: sid, SmsSid: sid, AccountSid: SID, From: from, To: to, Body: body, NumMedia: '0' });

  it('sends a text to a prospect and threads it on the timeline; refuses do-not-call numbers', async () => {
    const { org } = await seed();
    const prospect = (await t.as(org.tokens.agent).post('/api/prospects', { phone: '+14155550177' })).json();
    const sent = await t
      .as(org.tokens.agent)
      .post('/api/messages', { prospectId: prospect.id, body: 'See you at 3!' });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({
      direction: 'outbound',
      to: '+14155550177',
      body: 'See you at 3!',
      prospectId: prospect.id,
    });
    expect(sent.json().providerSid).toMatch(/^SM/);
    expect(rest.messages.at(-1)).toMatchObject({
      to: '+14155550177',
      from: '+15005550006',
      body: 'See you at 3!',
    });

    await t.ctx.db
      .insert(doNotCall)
      .values({ organizationId: org.id, phone: '+14155550177', source: 'manual' });
    const refused = await t
      .as(org.tokens.agent)
      .post('/api/messages', { prospectId: prospect.id, body: 'Hello?' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.reason).toBe('do_not_call');

    const other = await t.seedOrg();
    expect(
      (await t.as(other.tokens.agent).post('/api/messages', { prospectId: prospect.id, body: 'x' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.as(org.tokens.viewer).post('/api/messages', { prospectId: prospect.id, body: 'x' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.as(org.tokens.agent).post('/api/messages', { prospectId: prospect.id, body: '  ' }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await t
          .as(org.tokens.agent)
          .post('/api/messages', { prospectId: prospect.id, body: 'x'.repeat(1601) })
      ).statusCode,
    ).toBe(400);
  });

  it('threads a reply on the prospect, answering empty TwiML, once per MessageSid', async () => {
    const { org, ours } = await seed();
    const prospect = (await t.as(org.tokens.agent).post('/api/prospects', { phone: '+14155550188' })).json();
    const sid = messageSid();
    const res = await text('+14155550188', ours, 'Yes, 3pm works', sid);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/xml');
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await text('+14155550188', ours, 'Yes, 3pm works', sid)).statusCode).toBe(200); // Twilio retry
    const timeline = (await t.as(org.tokens.viewer).get(`/api/messages?prospectId=${prospect.id}`)).json();
    expect(timeline.items).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        body: 'Yes, 3pm works',
        status: 'received',
        from: '+14155550188',
      }),
    ]);
    // A stranger's text creates a prospect (source sms) so it shows up somewhere.
    await text('+14155550199', ours, 'Who is this?');
    const found = (await t.as(org.tokens.viewer).get('/api/prospects?q=4155550199')).json().items;
    expect(found).toEqual([expect.objectContaining({ source: 'sms', status: 'new' })]);
  });

  it('STOP puts the number on the do-not-call list; START lifts the opt-out', async () => {
    const { org, ours } = await seed();
    const prospect = (await t.as(org.tokens.agent).post('/api/prospects', { phone: '+14155550166' })).json();
    await text('+14155550166', ours, ' stop ');
    const listed = () =>
      t.ctx.db
        .select()
        .from(doNotCall)
        .where(and(eq(doNotCall.organizationId, org.id), eq(doNotCall.phone, '+14155550166')));
    expect(await listed()).toEqual([expect.objectContaining({ source: 'opt_out' })]);
    expect((await t.as(org.tokens.viewer).get(`/api/prospects/${prospect.id}`)).json().status).toBe(
      'do_not_call',
    );
    const refused = await t
      .as(org.tokens.agent)
      .post('/api/messages', { prospectId: prospect.id, body: 'Sorry to see you go' });
    expect(refused.statusCode).toBe(409);
    await text('+14155550166', ours, 'UNSUBSCRIBE'); // again: still one entry
    expect(await listed()).toHaveLength(1);

    await text('+14155550166', ours, 'Start');
    expect(await listed()).toEqual([]);
    expect((await t.as(org.tokens.viewer).get(`/api/prospects/${prospect.id}`)).json().status).toBe(
      'contacted',
    );
    const audit = (await t.as(org.tokens.admin).get('/api/audit?action=do_not_call.')).json().items;
    expect(audit.map((a: { action: string; actor: { type: string } }) => [a.action, a.actor.type])).toEqual([
      ['do_not_call.opt_in', 'system'],
      ['do_not_call.opt_out', 'system'],
    ]);
    // "stop by tomorrow" is a message, not an opt-out.
    await text('+14155550166', ours, 'stop by tomorrow?');
    expect(await listed()).toEqual([]);
  });

  it('refuses unsigned or badly signed webhooks and ignores unknown numbers', async () => {
    const { org, ours } = await seed();
    const params = { MessageSid: messageSid(), From: '+14155550155', To: ours, Body: 'STOP' };
    expect((await inbound(params, 'wrong-token-000')).statusCode).toBe(403);
    const unsigned = await t.app.inject({
      method: 'POST',
      url: '/api/twiml/sms',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: encodeForm(params),
    });
    expect(unsigned.statusCode).toBe(403);
    expect(await t.ctx.db.$count(messages, eq(messages.organizationId, org.id))).toBe(0);
    const unknown = await text('+14155550155', '+14155550000', 'hello');
    expect(unknown.statusCode).toBe(200);
  });
});
