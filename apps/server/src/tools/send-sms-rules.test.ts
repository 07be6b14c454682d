/**
 * Issue 11 item 4, texting: send_sms texts only the caller unless the agent allows any number
 * (`smsRecipients`), and every text — the agent's and staff's (POST /api/messages) — passes the
 * per-call cap (under concurrent tool calls), the organization's daily cap and the destination
 * country rule (by default the organization's default country).
 */
import { messages, organizations, prospects } from '@switchboard/db';
import { startTwilioRestFake, type TwilioRestFake } from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { errorOf, resultOf, toolHarness } from '../testing/tool-context.ts';
import { buildToolRegistry } from './index.ts';

const SID = `AC${'7'.repeat(32)}`;
const TOKEN = 'rest_auth_token';
const CALLER = '+14155550123';
const kinds = await testDbKinds();

describe.each(kinds)('send_sms rules on %s', (kind) => {
  let t: TestApp;
  let rest: TwilioRestFake;
  beforeAll(async () => {
    rest = await startTwilioRestFake({ accountSid: SID, authToken: TOKEN });
    t = await buildTestApp(kind, {
      env: {
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_PHONE_NUMBER: '+15005550006',
        TWILIO_API_BASE_URL: rest.url,
        SMS_PER_ORG_PER_DAY: '5',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await rest?.close();
  });

  const textsOf = (orgId: string) =>
    t.ctx.db.select().from(messages).where(eq(messages.organizationId, orgId));
  const sentTo = () =>
    rest.requests.filter((r) => r.path.endsWith('/Messages.json')).map((r) => (r.form as { To: string }).To);
  const prospect = async (org: SeededOrg, phone: string) =>
    (
      await t.ctx.db.insert(prospects).values({ organizationId: org.id, phone, contact: 'Ada' }).returning()
    )[0]!;

  it('exposes callerContext and smsRecipients on the agent, defaults limited/caller, 400 on a bad value', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    expect((await api.get(`/api/agents/${org.agent.id}`)).json()).toMatchObject({
      callerContext: 'limited',
      smsRecipients: 'caller',
    });
    const patched = await api.patch(`/api/agents/${org.agent.id}`, {
      callerContext: 'full',
      smsRecipients: 'any',
    });
    expect(patched.json()).toMatchObject({ callerContext: 'full', smsRecipients: 'any' });
    const bad = await api.patch(`/api/agents/${org.agent.id}`, { smsRecipients: 'everyone' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'validation_failed' });
    expect(JSON.stringify(bad.json())).toContain('smsRecipients');
    expect((await api.post('/api/agents', { name: 'B', callerContext: 'all' })).statusCode).toBe(400);
  });

  it('texts only the caller by default: another number is refused and nothing is sent', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    const before = sentTo().length;
    const refused = errorOf(await h.run('send_sms', { body: 'Hi', to: '+14155550188' }));
    expect(refused).toMatchObject({ code: 'failed', details: { reason: 'recipient_not_allowed' } });
    expect(refused.message).toMatch(/only text the caller's own number/);
    expect(resultOf(await h.run('send_sms', { body: 'Hi' }))).toMatchObject({ sent: true, to: CALLER });
    // The caller's own number, typed in a national format, is the caller.
    expect(resultOf(await h.run('send_sms', { body: 'Again', to: '(415) 555-0123' }))).toMatchObject({
      to: CALLER,
    });
    expect(sentTo().slice(before)).toEqual([CALLER, CALLER]);
    expect((await textsOf(org.id)).map((m) => m.to)).toEqual([CALLER, CALLER]);

    // The model is told so in the tool's declaration for this call.
    const registry = buildToolRegistry(t.ctx);
    const [callerOnly] = registry.declarations(['send_sms'], h.context);
    expect(callerOnly?.description).toMatch(/Only the number they are calling from can be texted/);
    const [open] = registry.declarations(['send_sms'], { ...h.context, smsRecipients: 'any' });
    expect(open?.description).not.toMatch(/Only the number/);
  });

  it("with smsRecipients 'any' texts another number", async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org, {}, { smsRecipients: 'any' });
    expect(resultOf(await h.run('send_sms', { body: 'Hi', to: '+14155550188' }))).toMatchObject({
      sent: true,
      to: '+14155550188',
    });
    expect(sentTo().at(-1)).toBe('+14155550188');
  });

  it('holds the per-call cap under concurrent tool calls: exactly 3 of 6 are sent', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => h.run('send_sms', { body: `Text ${n}` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const refused = results.filter((r) => !r.ok).map((r) => errorOf(r));
    expect(refused).toHaveLength(3);
    for (const error of refused) {
      expect(error).toMatchObject({
        message: 'At most 3 texts can be sent during one call.',
        details: { reason: 'sms_call_limit' },
      });
    }
    expect(await textsOf(org.id)).toHaveLength(3);
  });

  it("caps an organization's texts per day across calls and by hand (429 on POST /api/messages)", async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const a = await toolHarness(t, org);
    for (const n of [1, 2, 3]) resultOf(await a.run('send_sms', { body: `A${n}` }));
    const b = await toolHarness(t, org, { from: '+14155550124' });
    resultOf(await b.run('send_sms', { body: 'B1' }));
    const ada = await prospect(org, '+14155550125');
    const api = t.as(org.tokens.agent);
    expect((await api.post('/api/messages', { prospectId: ada.id, body: 'By hand' })).statusCode).toBe(201);
    // 5 of 5 used: the tool and the dashboard are both refused.
    expect(errorOf(await b.run('send_sms', { body: 'B2' }))).toMatchObject({
      message: "The organization's limit of 5 texts per day is reached; try again later.",
      details: { reason: 'sms_daily_limit' },
    });
    const refused = await api.post('/api/messages', { prospectId: ada.id, body: 'Once more' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({
      code: 'rate_limited',
      details: { reason: 'sms_daily_limit' },
    });
    expect(await textsOf(org.id)).toHaveLength(5);
    // Another organization has its own allowance.
    resultOf(await (await toolHarness(t, other)).run('send_sms', { body: 'Hi' }));
  });

  it("refuses a destination outside the organization's country, by tool and by hand", async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org, {}, { smsRecipients: 'any' });
    const before = sentTo().length;
    expect(errorOf(await h.run('send_sms', { body: 'Hi', to: '+442071838750' }))).toMatchObject({
      message: 'Texts to GB are not allowed: only US numbers can be texted.',
      details: { reason: 'country_not_allowed', country: 'GB' },
    });
    const london = await prospect(org, '+442071838750');
    const api = t.as(org.tokens.agent);
    const refused = await api.post('/api/messages', { prospectId: london.id, body: 'Hello' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({
      code: 'forbidden',
      details: { reason: 'country_not_allowed' },
    });
    expect(sentTo().length).toBe(before);
    expect(await textsOf(org.id)).toHaveLength(0);

    // The organization's default country decides: a GB business texts GB, not US.
    await t.ctx.db.update(organizations).set({ defaultCountry: 'GB' }).where(eq(organizations.id, org.id));
    expect((await api.post('/api/messages', { prospectId: london.id, body: 'Hello' })).statusCode).toBe(201);
    expect(errorOf(await h.run('send_sms', { body: 'Hi', to: '+14155550188' })).details).toMatchObject({
      reason: 'country_not_allowed',
      country: 'US',
    });
  });
});
