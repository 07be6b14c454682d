import { calls, prospects } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

describe.each(kinds)('the dialer tick job on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, { jobs: true });
  });
  afterAll(() => h?.close());

  it('dials a started campaign on its own, with no one calling the dialer', async () => {
    const api = h.t.as(h.org.tokens.admin);
    const [p] = await h.t.ctx.db
      .insert(prospects)
      .values({ organizationId: h.org.id, phone: '+14155550401', timezone: 'UTC' })
      .returning();
    const id = (
      await api.post('/api/campaigns', {
        name: 'Always open',
        schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' },
        defaultTimezone: 'UTC',
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
