/** opt_out in a call lands on the do-not-call list, ends the call, and a later campaign skips the number. */
import { doNotCall, prospects } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDialerTick } from '../campaigns/tick.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { errorOf, resultOf, toolHarness } from '../testing/tool-context.ts';

const kinds = await testDbKinds();

describe.each(kinds)('opt_out on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind, {
      env: {
        PUBLIC_URL: 'https://bridge.example.com',
        TWILIO_ACCOUNT_SID: `AC${'3'.repeat(32)}`,
        TWILIO_AUTH_TOKEN: 'optout_token',
        TWILIO_PHONE_NUMBER: '+15005550006',
      },
    });
  });
  afterAll(() => t?.close());

  it('lists the number, marks the prospect, ends the call; a second campaign skips it', async () => {
    const org = await t.seedOrg();
    const [prospect] = await t.ctx.db
      .insert(prospects)
      .values({ organizationId: org.id, phone: '+14155550777', contact: 'Sam' })
      .returning();
    const h = await toolHarness(t, org, {
      direction: 'outbound',
      from: '+15005550006',
      to: '+14155550777',
      prospectId: prospect!.id,
    });
    expect(resultOf(await h.run('opt_out', { reason: 'please stop calling me' }))).toEqual({
      optedOut: true,
      ending: true,
    });
    expect(h.control).toEqual([{ method: 'endCall', args: [{ reason: 'opt_out', afterPlayback: true }] }]);
    const listed = await t.ctx.db.select().from(doNotCall).where(eq(doNotCall.organizationId, org.id));
    expect(listed).toMatchObject([
      { phone: '+14155550777', source: 'opt_out', reason: 'please stop calling me' },
    ]);
    const [after] = await t.ctx.db.select().from(prospects).where(eq(prospects.id, prospect!.id));
    expect(after!.status).toBe('do_not_call');
    // The list answers through the API too.
    const api = t.as(org.tokens.admin);
    expect((await api.get('/api/do-not-call')).json()).toMatchObject({
      total: 1,
      items: [{ phone: '+14155550777', source: 'opt_out' }],
    });

    const id = (
      await api.post('/api/campaigns', {
        name: 'Second campaign',
        schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' },
      })
    ).json().id;
    await api.post(`/api/campaigns/${id}/prospects`, { prospectIds: [prospect!.id] });
    expect((await api.post(`/api/campaigns/${id}/start`)).statusCode).toBe(200);
    await runDialerTick(t.ctx);
    expect((await api.get(`/api/campaigns/${id}/prospects`)).json().items).toMatchObject([
      { state: 'skipped', skipReason: 'do_not_call_list', attempts: 0, lastCallId: null },
    ]);
    expect((await api.get(`/api/campaigns/${id}/ledger`)).json().items).toMatchObject([
      { decision: 'skip', rule: 'do_not_call_list', phone: '+14155550777' },
    ]);
  });

  it('refuses on a browser call', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org, { direction: 'web', from: '', to: '' });
    expect(errorOf(await h.run('opt_out', {}))).toMatchObject({ details: { reason: 'no_phone_line' } });
  });
});
