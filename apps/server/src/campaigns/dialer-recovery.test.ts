import { campaignProspects, createDatabase, doNotCall } from '@switchboard/db';
import { isFinalCallStatus } from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createContext } from '../context.ts';
import { amd, createdCall } from '../testing/outbound-call.ts';
import { testDbKinds } from '../testing/test-app.ts';
import { dialerFixture, MONDAY } from './dialer-fixture.ts';
import { runDialerTick } from './tick.ts';

const kinds = await testDbKinds();

describe.each(kinds)('campaign dialer recovery on %s', (kind) => {
  const fx = dialerFixture(kind);
  const { api, prospect, campaign, states, campaignCalls, finish } = fx;

  it('releases a claim whose call was never created (a process died while dialling) and dials it again', async () => {
    const p = await prospect({ timezone: 'America/New_York' });
    const id = await campaign([p.id]);
    // A claim as a dying process leaves it: dialing, no call.
    await fx.h.t.ctx.db
      .update(campaignProspects)
      .set({ state: 'dialing', attempts: 1, lockedBy: 'dead', lockedAt: fx.now })
      .where(eq(campaignProspects.campaignId, id));
    await runDialerTick(fx.h.t.ctx);
    expect(await campaignCalls(id)).toHaveLength(0);
    fx.now = new Date(MONDAY.getTime() + 3 * 60_000);
    await runDialerTick(fx.h.t.ctx); // releases the claim
    await runDialerTick(fx.h.t.ctx); // dials
    expect(await campaignCalls(id)).toHaveLength(1);
    expect((await states(id))[0]).toMatchObject({ state: 'dialing', attempts: 1 });
  });

  it.runIf(kind === 'postgres')(
    'never dials a prospect twice when two contexts with their own pools run the dialer on one database',
    async () => {
      const second = await createDatabase({ databaseUrl: fx.h.t.database.url!, poolSize: 4 });
      const other = createContext({
        config: fx.h.t.ctx.config,
        database: second,
        log: fx.h.t.ctx.log,
        clock: () => fx.now,
      });
      try {
        const ps = await Promise.all(
          Array.from({ length: 30 }, () => prospect({ timezone: 'Europe/London' })),
        );
        const id = await campaign(
          ps.map((p) => p.id),
          {
            maxConcurrent: 8,
            retry: { maxAttempts: 1, delayS: { no_answer: 60, busy: 60, voicemail: 60, failed: 60 } },
          },
        );
        for (let round = 0; round < 8; round++) {
          await Promise.all([
            runDialerTick(fx.h.t.ctx, 'one'),
            runDialerTick(other, 'two'),
            runDialerTick(other, 'three'),
          ]);
          const live = (await campaignCalls(id)).filter((c) => !isFinalCallStatus(c.status));
          expect(live.length).toBeLessThanOrEqual(8);
          for (const c of live) await finish(c.id, 'completed');
        }
        await runDialerTick(other);
        const rows = await campaignCalls(id);
        expect(rows).toHaveLength(30);
        expect(new Set(rows.map((c) => c.to)).size).toBe(30);
        const ledger = (await api().get(`/api/campaigns/${id}/ledger?limit=200`)).json();
        expect(ledger.total).toBe(30); // one decision per prospect: dial
        expect((await api().get(`/api/campaigns/${id}`)).json().status).toBe('completed');
      } finally {
        await other.jobs.stop({ timeoutMs: 1_000 });
        await second.close();
      }
    },
  );

  it('hangs up at an answering machine when the campaign says voicemail: hangup, and retries later', async () => {
    const p = await prospect({ timezone: 'America/New_York' });
    const id = await campaign([p.id], {
      voicemail: 'hangup',
      retry: { maxAttempts: 2, delayS: { no_answer: 60, busy: 60, voicemail: 3_600, failed: 60 } },
    });
    await runDialerTick(fx.h.t.ctx);
    const [placed] = await campaignCalls(id);
    const fake = createdCall(fx.h, placed!.id);
    expect((await amd(fx.h, fake, 'machine_end_beep')).status).toBeLessThan(300);
    const hangup = fx.h.rest.requests.find((r) => r.path.includes(fake.sid) && r.form.Status === 'completed');
    expect(hangup).toBeDefined();
    await finish(placed!.id, 'completed');
    await runDialerTick(fx.h.t.ctx);
    expect((await states(id))[0]).toMatchObject({
      state: 'scheduled',
      lastDisposition: 'voicemail_left',
      nextAttemptAt: '2026-03-09T15:00:00.000Z',
    });
  });

  it('previews who can be called fx.now without dialling anyone', async () => {
    const ny = await prospect({ timezone: 'America/New_York' });
    const tokyo = await prospect({ timezone: 'Asia/Tokyo' });
    const listed = await prospect({ timezone: 'America/New_York' });
    await fx.h.t.ctx.db
      .insert(doNotCall)
      .values({ organizationId: fx.h.org.id, phone: listed.phone, reason: '', source: 'manual' });
    const id = await campaign([ny.id, tokyo.id, listed.id]);
    const preview = await api().get(`/api/campaigns/${id}/preview`);
    expect(preview.json()).toEqual({
      at: MONDAY.toISOString(),
      waiting: 3,
      callableNow: 1,
      outsideWindow: 1,
      blocked: 1,
      nextWindowAt: '2026-03-10T00:00:00.000Z',
    });
    expect(await campaignCalls(id)).toHaveLength(0);
  });
});
