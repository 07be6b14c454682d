/**
 * create_lead and send_sms: the prospect is created or updated and attached to the call; texts
 * go through the Twilio REST fake and are stored; Twilio errors, the per-call cap and bad
 * arguments come back to the model as structured errors.
 */
import { messages, prospects } from '@switchboard/db';
import { startTwilioRestFake, type TwilioRestFake } from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { errorOf, resultOf, toolHarness } from '../testing/tool-context.ts';

const SID = `AC${'1'.repeat(32)}`;
const TOKEN = 'rest_auth_token';
const OUR_NUMBER = '+15005550006';
const kinds = await testDbKinds();

describe.each(kinds)('lead and SMS tools on %s', (kind) => {
  let t: TestApp;
  let rest: TwilioRestFake;
  beforeAll(async () => {
    rest = await startTwilioRestFake({ accountSid: SID, authToken: TOKEN });
    t = await buildTestApp(kind, {
      env: {
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_PHONE_NUMBER: OUR_NUMBER,
        TWILIO_API_BASE_URL: rest.url,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await rest?.close();
  });

  const prospectsOf = (orgId: string) =>
    t.ctx.db.select().from(prospects).where(eq(prospects.organizationId, orgId));

  it('create_lead creates the caller as a prospect, attaches it to the call and updates it later', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    const first = resultOf(
      await h.run('create_lead', { name: 'Fox Mulder', email: 'fox@example.com', notes: 'Wants a cleaning' }),
    );
    expect(first).toMatchObject({ saved: true, created: true, name: 'Fox Mulder' });
    const [created] = await prospectsOf(org.id);
    expect(created).toMatchObject({
      phone: '+14155550123',
      contact: 'Fox Mulder',
      email: 'fox@example.com',
      notes: 'Wants a cleaning',
      source: 'inbound_call',
      status: 'new',
    });
    expect(h.context.prospect.id).toBe(created!.id);
    const call = (await t.as(org.tokens.viewer).get(`/api/calls/${h.call.id}`)).json();
    expect(call.prospectId).toBe(created!.id);

    const second = resultOf(
      await h.run('create_lead', { name: 'Fox W. Mulder', company: 'FBI', notes: 'Prefers mornings' }),
    );
    expect(second).toMatchObject({ created: false, prospectId: created!.id });
    const rows = await prospectsOf(org.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      contact: 'Fox W. Mulder',
      company: 'FBI',
      notes: 'Wants a cleaning\nPrefers mornings',
    });
    // A later call from the same number updates the same prospect.
    const later = await toolHarness(t, org);
    expect(resultOf(await later.run('create_lead', { name: 'Fox Mulder' }))).toMatchObject({
      created: false,
      prospectId: created!.id,
    });
  });

  it('create_lead returns bad arguments and a missing phone number to the model', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    expect(errorOf(await h.run('create_lead', {})).code).toBe('bad_arguments');
    const phone = errorOf(await h.run('create_lead', { name: 'X', phone: 'call me maybe' }));
    expect(phone.code).toBe('bad_arguments');
    expect(JSON.stringify(phone.details)).toContain('Enter the number with its country code');
    expect(errorOf(await h.run('create_lead', { name: 'X', email: 'not-an-email' })).code).toBe(
      'bad_arguments',
    );
    // A browser call has no number: the model is told to ask for one.
    const web = await toolHarness(t, org, { direction: 'web', from: '', to: '', providerCallSid: null });
    expect(errorOf(await web.run('create_lead', { name: 'Web Visitor' }))).toMatchObject({
      code: 'failed',
      message: 'A phone number is needed to save a new lead.',
    });
    expect(
      resultOf(await web.run('create_lead', { name: 'Web Visitor', phone: '(415) 555-0142' })),
    ).toMatchObject({
      created: true,
    });
    expect((await prospectsOf(org.id)).map((p) => p.phone)).toEqual(['+14155550142']);
  });

  it('send_sms texts the caller from our number and stores the message', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    const before = rest.requests.length;
    const sent = resultOf(await h.run('send_sms', { body: 'See you Monday at 2 PM. – Maple Street Dental' }));
    expect(sent).toMatchObject({ sent: true, to: '+14155550123', status: 'queued' });
    const request = rest.requests.slice(before).find((r) => r.path.endsWith('/Messages.json'));
    expect(request?.form).toMatchObject({
      To: '+14155550123',
      From: OUR_NUMBER,
      Body: 'See you Monday at 2 PM. – Maple Street Dental',
    });
    const [row] = await t.ctx.db.select().from(messages).where(eq(messages.callId, h.call.id));
    expect(row).toMatchObject({
      organizationId: org.id,
      direction: 'outbound',
      to: '+14155550123',
      from: OUR_NUMBER,
      status: 'queued',
      providerSid: expect.stringMatching(/^SM/),
    });
  });

  it('send_sms reports a Twilio error, keeps the failed message, and caps texts per call', async () => {
    const org = await t.seedOrg();
    // An agent allowed to text any number (smsRecipients: 'any'); caller-only is caller-trust.test.ts.
    const h = await toolHarness(t, org, {}, { smsRecipients: 'any' });
    rest.failNext({
      status: 400,
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
      match: { path: '/Messages.json' },
    });
    const failed = errorOf(await h.run('send_sms', { body: 'Hello' }));
    expect(failed).toMatchObject({
      code: 'failed',
      message: 'The text was not sent: Attempt to send to unsubscribed recipient',
      details: { reason: 'twilio_error', twilioCode: 21610 },
    });
    const [row] = await t.ctx.db.select().from(messages).where(eq(messages.callId, h.call.id));
    expect(row).toMatchObject({ status: 'failed', error: 'Attempt to send to unsubscribed recipient' });

    resultOf(await h.run('send_sms', { body: 'Two', to: '+14155550100' }));
    resultOf(await h.run('send_sms', { body: 'Three' }));
    expect(errorOf(await h.run('send_sms', { body: 'Four' })).message).toBe(
      'At most 3 texts can be sent during one call.',
    );
    expect(errorOf(await h.run('send_sms', { body: '' })).code).toBe('bad_arguments');
    expect(errorOf(await h.run('send_sms', { body: 'x', to: '12' })).code).toBe('bad_arguments');
  });
});
