import { calls, prospects } from '@switchboard/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../knowledge/vector-support.ts';
import { zoneAwayFromMidnight } from '../testing/fixtures.ts';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';
import { dialerTickJob } from './tick.ts';

const kinds = await testDbKinds();

describe.each(kinds)('the dialer tick job on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, { jobs: true });
  });
  afterAll(() => h?.close());

  it('dials a started campaign on its own, with no one calling the dialer', async () => {
    // With no campaign running the chain of passes stops (only the minute's cron runs one):
    // starting the campaign must wake the dialer.
    await eventually(async () => {
      const result = await h.t.ctx.db.execute(
        sql`select count(*)::int as n from pgboss.job where name = ${dialerTickJob.name} and state in ('created', 'retry', 'active')`,
      );
      return rows<{ n: number }>(result)[0]!.n === 0;
    });
    const api = h.t.as(h.org.tokens.admin);
    const zone = zoneAwayFromMidnight();
    const [p] = await h.t.ctx.db
      .insert(prospects)
      .values({ organizationId: h.org.id, phone: '+14155550401', timezone: zone })
      .returning();
    const id = (
      await api.post('/api/campaigns', {
        name: 'Always open',
        schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' },
        defaultTimezone: zone,
      })
    ).json().id;
    await api.post(`/api/campaigns/${id}/prospects`, { prospectIds: [p!.id] });
    expect((await api.post(`/api/campaigns/${id}/start`)).statusCode).toBe(200);
    const [call] = await eventually(async () => {
      const rows = await h.t.ctx.db.select().from(calls).where(eq(calls.campaignId, id));
      return rows[0]?.providerCallSid ? rows : null;
    });
    expect(call).toMatchObject({ to: '+14155550401', direction: 'outbound' });
    expect(call!.providerCallSid).toMatch(/^CA/);
  });
});
