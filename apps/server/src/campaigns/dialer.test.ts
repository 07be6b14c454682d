import { calls, campaignProspects, doNotCall, webhookDeliveries, webhooks } from '@switchboard/db';
import { isFinalCallStatus } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import { dialerFixture } from './dialer-fixture.ts';
import { runDialerTick } from './tick.ts';

const kinds = await testDbKinds();

describe.each(kinds)('campaign dialer on %s', (kind) => {
  const fx = dialerFixture(kind);
  const { api, prospect, campaign, states, campaignCalls, finish } = fx;

  it('dials only prospects inside their own window, never a do-not-call number, never above maxConcurrent', async () => {
    const [hook] = await fx.h.t.ctx.db
      .insert(webhooks)
      .values({
        organizationId: fx.h.org.id,
        url: 'https://hooks.example.com/in',
        events: ['campaign.completed'],
      })
      .returning();
    const ny = await prospect({ timezone: 'America/New_York' });
    const listed = await prospect({ timezone: 'America/New_York' });
    const optedOut = await prospect({ timezone: 'America/New_York', status: 'do_not_call' });
    const london1 = await prospect({ timezone: 'Europe/London' });
    const london2 = await prospect({ timezone: 'Europe/London' });
    const noZone = await prospect({ timezone: null }); // uses defaultTimezone (New York)
    const la = await prospect({ timezone: 'America/Los_Angeles' });
    const tokyo = await prospect({ timezone: 'Asia/Tokyo' });
    await fx.h.t.ctx.db
      .insert(doNotCall)
      .values({ organizationId: fx.h.org.id, phone: listed.phone, reason: 'asked', source: 'manual' });
    const all = [ny, listed, optedOut, london1, london2, noZone, la, tokyo];
    const id = await campaign(
      all.map((p) => p.id),
      {
        maxConcurrent: 2,
        retry: { maxAttempts: 1, delayS: { no_answer: 60, busy: 60, voicemail: 60, failed: 60 } },
      },
    );

    const dialled = new Set<string>();
    for (let pass = 0; pass < 10; pass++) {
      await runDialerTick(fx.h.t.ctx);
      const rows = await campaignCalls(id);
      const live = rows.filter((c) => !isFinalCallStatus(c.status));
      expect(live.length).toBeLessThanOrEqual(2);
      for (const call of live) {
        dialled.add(call.to);
        await finish(call.id, 'completed');
      }
    }
    expect([...dialled].sort()).toEqual([ny, london1, london2, noZone].map((p) => p.phone).sort());
    const rows = await campaignCalls(id);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((c) => c.to)).size).toBe(4);

    const byId = new Map((await states(id)).map((s) => [s.prospectId, s]));
    expect(byId.get(listed.id)).toMatchObject({
      state: 'skipped',
      skipReason: 'do_not_call_list',
      attempts: 0,
    });
    expect(byId.get(optedOut.id)).toMatchObject({ state: 'skipped', skipReason: 'prospect_do_not_call' });
    // Los Angeles opens at 09:00 PDT (16:00 UTC), Tokyo at 09:00 JST on Tuesday (00:00 UTC).
    expect(byId.get(la.id)).toMatchObject({ state: 'scheduled', nextAttemptAt: '2026-03-09T16:00:00.000Z' });
    expect(byId.get(tokyo.id)).toMatchObject({
      state: 'scheduled',
      nextAttemptAt: '2026-03-10T00:00:00.000Z',
    });
    expect(byId.get(ny.id)).toMatchObject({ state: 'done', attempts: 1, lastDisposition: 'other' });

    const ledger = (await api().get(`/api/campaigns/${id}/ledger?limit=200`)).json();
    const rule = (p: { id: string }) =>
      ledger.items
        .filter((e: { prospectId: string }) => e.prospectId === p.id)
        .map((e: { rule: string }) => e.rule);
    expect(rule(listed)).toEqual(['do_not_call_list']);
    expect(rule(optedOut)).toEqual(['prospect_do_not_call']);
    expect(rule(tokyo)).toEqual(['outside_window']);
    expect(rule(london1)).toEqual(['allowed']);
    const tokyoEntry = ledger.items.find((e: { prospectId: string }) => e.prospectId === tokyo.id);
    expect(tokyoEntry).toMatchObject({ decision: 'defer', localTime: '2026-03-09T23:00:00+09:00' });

    // Los Angeles opens: its prospect is dialled then, and Tokyo's after midnight UTC.
    fx.now = new Date('2026-03-09T16:00:05Z');
    await runDialerTick(fx.h.t.ctx);
    const laCall = (await campaignCalls(id)).find((c) => c.to === la.phone);
    expect(laCall).toBeDefined();
    await finish(laCall!.id, 'completed');
    fx.now = new Date('2026-03-10T00:00:05Z');
    await runDialerTick(fx.h.t.ctx);
    const tokyoCall = (await campaignCalls(id)).find((c) => c.to === tokyo.phone);
    await finish(tokyoCall!.id, 'completed');
    await runDialerTick(fx.h.t.ctx);
    await runDialerTick(fx.h.t.ctx);
    const done = (await api().get(`/api/campaigns/${id}`)).json();
    expect(done).toMatchObject({
      status: 'completed',
      stats: {
        total: 8,
        done: 6,
        skipped: 2,
        pending: 0,
        scheduled: 0,
        dialing: 0,
        byDisposition: { other: 6 },
      },
    });
    expect(done.completedAt).not.toBeNull();
    // Receivers that listen for campaign.completed get one delivery for it.
    const deliveries = await fx.h.t.ctx.db
      .select()
      .from(webhookDeliveries)
      .where(
        and(eq(webhookDeliveries.webhookId, hook!.id), eq(webhookDeliveries.event, 'campaign.completed')),
      );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.payload).toMatchObject({ data: { campaignId: id, name: 'Spring outreach' } });
  });

  it('retries no answer and busy after their delay, and stops at maxAttempts', async () => {
    const p = await prospect({ timezone: 'America/New_York' });
    const id = await campaign([p.id], {
      retry: { maxAttempts: 2, delayS: { no_answer: 120, busy: 30, voicemail: 60, failed: 60 } },
    });
    await runDialerTick(fx.h.t.ctx);
    const [first] = await campaignCalls(id);
    await finish(first!.id, 'no-answer');
    await runDialerTick(fx.h.t.ctx);
    expect((await states(id))[0]).toMatchObject({
      state: 'scheduled',
      attempts: 1,
      lastDisposition: 'no_answer',
      nextAttemptAt: '2026-03-09T14:02:00.000Z',
    });
    fx.now = new Date('2026-03-09T14:01:00Z');
    await runDialerTick(fx.h.t.ctx);
    expect(await campaignCalls(id)).toHaveLength(1); // not due yet
    fx.now = new Date('2026-03-09T14:02:00Z');
    await runDialerTick(fx.h.t.ctx);
    const second = (await campaignCalls(id)).find((c) => c.id !== first!.id);
    expect(second).toBeDefined();
    await finish(second!.id, 'busy');
    await runDialerTick(fx.h.t.ctx);
    expect((await states(id))[0]).toMatchObject({ state: 'done', attempts: 2, lastDisposition: 'busy' });
    fx.now = new Date('2026-03-09T15:00:00Z');
    await runDialerTick(fx.h.t.ctx);
    expect(await campaignCalls(id)).toHaveLength(2);
    expect((await api().get(`/api/campaigns/${id}`)).json().status).toBe('completed');
  });

  it('keeps dialling when Twilio refuses one call, and pauses itself after 5 failures in a row', async () => {
    const ps = await Promise.all(Array.from({ length: 8 }, () => prospect({ timezone: 'America/New_York' })));
    const id = await campaign(
      ps.map((p) => p.id),
      {
        maxConcurrent: 6,
        retry: { maxAttempts: 1, delayS: { no_answer: 60, busy: 60, voicemail: 60, failed: 60 } },
      },
    );
    fx.h.rest.failNext({ status: 400, code: 21211, message: 'Invalid To', match: { path: '/Calls' } });
    await runDialerTick(fx.h.t.ctx);
    const first = await campaignCalls(id);
    expect(first).toHaveLength(6);
    expect(first.filter((c) => c.status === 'failed')).toHaveLength(1);
    expect(first.filter((c) => c.providerCallSid)).toHaveLength(5);
    for (const c of first.filter((c) => c.providerCallSid)) await finish(c.id, 'completed');
    // The last two both fail: with the successes between, that is not yet 5 in a row.
    for (let i = 0; i < 2; i++)
      fx.h.rest.failNext({ status: 500, code: 20500, message: 'boom', match: { path: '/Calls' } });
    await runDialerTick(fx.h.t.ctx);
    await runDialerTick(fx.h.t.ctx);
    expect((await campaignCalls(id)).filter((c) => c.status === 'failed')).toHaveLength(3);
    expect((await api().get(`/api/campaigns/${id}`)).json()).toMatchObject({
      status: 'completed',
      stats: { total: 8, done: 8, byDisposition: { failed: 3, other: 5 } },
    });

    // Five failures in a row trip the breaker.
    const more = await Promise.all(
      Array.from({ length: 6 }, () => prospect({ timezone: 'America/New_York' })),
    );
    const id2 = await campaign(
      more.map((p) => p.id),
      {
        maxConcurrent: 5,
        retry: { maxAttempts: 3, delayS: { no_answer: 60, busy: 60, voicemail: 60, failed: 1 } },
      },
    );
    for (let i = 0; i < 5; i++)
      fx.h.rest.failNext({ status: 400, code: 21215, message: 'Geo', match: { path: '/Calls' } });
    await runDialerTick(fx.h.t.ctx);
    await runDialerTick(fx.h.t.ctx);
    const paused = (await api().get(`/api/campaigns/${id2}`)).json();
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toMatch(/5 calls in a row failed/);
    fx.now = new Date('2026-03-09T14:10:00Z');
    await runDialerTick(fx.h.t.ctx);
    expect(await campaignCalls(id2)).toHaveLength(5); // paused: nothing more is dialled
    expect((await api().post(`/api/campaigns/${id2}/resume`)).json()).toMatchObject({
      status: 'running',
      pausedReason: null,
    });
  });

  it('never dials a prospect twice when two dialers run the same campaign at once', async () => {
    const ps = await Promise.all(Array.from({ length: 24 }, () => prospect({ timezone: 'Europe/London' })));
    const id = await campaign(
      ps.map((p) => p.id),
      {
        maxConcurrent: 10,
        retry: { maxAttempts: 1, delayS: { no_answer: 60, busy: 60, voicemail: 60, failed: 60 } },
      },
    );
    for (let round = 0; round < 6; round++) {
      await Promise.all([
        runDialerTick(fx.h.t.ctx, 'a'),
        runDialerTick(fx.h.t.ctx, 'b'),
        runDialerTick(fx.h.t.ctx, 'c'),
      ]);
      const live = (await campaignCalls(id)).filter((c) => !isFinalCallStatus(c.status));
      expect(live.length).toBeLessThanOrEqual(10);
      for (const c of live) await finish(c.id, 'completed');
    }
    await runDialerTick(fx.h.t.ctx);
    const rows = await campaignCalls(id);
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((c) => c.to)).size).toBe(24);
    const cps = await fx.h.t.ctx.db
      .select()
      .from(campaignProspects)
      .where(eq(campaignProspects.campaignId, id));
    expect(cps.every((c) => c.attempts === 1 && c.state === 'done')).toBe(true);
  });

  it('lists the number when the call ends with disposition do_not_call, and respects the daily cap', async () => {
    const ps = await Promise.all(Array.from({ length: 3 }, () => prospect({ timezone: 'America/New_York' })));
    const id = await campaign(
      ps.map((p) => p.id),
      {
        maxConcurrent: 5,
        dailyCap: 2,
        retry: { maxAttempts: 1, delayS: { no_answer: 60, busy: 60, voicemail: 60, failed: 60 } },
      },
    );
    await runDialerTick(fx.h.t.ctx);
    const placed = await campaignCalls(id);
    expect(placed).toHaveLength(2); // the daily cap
    // The post-call analysis (another module) wrote the disposition before the final status landed.
    await fx.h.t.ctx.db.update(calls).set({ disposition: 'do_not_call' }).where(eq(calls.id, placed[0]!.id));
    for (const c of placed) await finish(c.id, 'completed');
    await runDialerTick(fx.h.t.ctx);
    expect(await campaignCalls(id)).toHaveLength(2); // still capped today
    const listed = await fx.h.t.ctx.db.select().from(doNotCall).where(eq(doNotCall.phone, placed[0]!.to));
    expect(listed).toMatchObject([{ source: 'opt_out' }]);
    const stats = (await api().get(`/api/campaigns/${id}`)).json().stats;
    expect(stats).toMatchObject({ done: 2, pending: 1, byDisposition: { do_not_call: 1, other: 1 } });
    fx.now = new Date('2026-03-10T14:00:00Z'); // the next day
    await runDialerTick(fx.h.t.ctx);
    expect(await campaignCalls(id)).toHaveLength(3);
  });
});
