/**
 * The campaign dialer tests' world: a voice harness on one database with a settable clock
 * (Monday 9 March 2026, 14:00 UTC to start), prospects, a started campaign, and Twilio's status
 * callbacks for its calls. Registers its own hooks; call it inside a `describe`.
 */
import { calls, campaigns, prospects } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createdCall, status } from '../testing/outbound-call.ts';
import type { TestDbKind } from '../testing/test-app.ts';
import { startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

// Monday 9 March 2026, 14:00 UTC: 10:00 in New York, 14:00 in London, 07:00 in Los Angeles, 23:00 in Tokyo.
export const MONDAY = new Date('2026-03-09T14:00:00Z');

export function dialerFixture(kind: TestDbKind) {
  const fx = { h: undefined as unknown as VoiceHarness, now: MONDAY };
  let n = 0;
  beforeAll(async () => {
    fx.h = await startVoiceHarness(kind, { clock: () => fx.now });
    // The queue is started (no workers run): jobs sent inside transactions (analysis, webhooks) wait in it.
    await fx.h.t.ctx.jobs.start();
  });
  afterAll(() => fx.h?.close());
  beforeEach(async () => {
    fx.now = MONDAY;
    // Each test's campaign is the only running one.
    await fx.h.t.ctx.db.update(campaigns).set({ status: 'stopped' }).where(eq(campaigns.status, 'running'));
  });

  const api = () => fx.h.t.as(fx.h.org.tokens.admin);
  const phone = () => `+1415555${String(1000 + n++).padStart(4, '0')}`;
  const prospect = async (values: { timezone?: string | null; status?: 'do_not_call' } = {}) => {
    const [row] = await fx.h.t.ctx.db
      .insert(prospects)
      .values({ organizationId: fx.h.org.id, phone: phone(), contact: `P${n}`, ...values })
      .returning();
    return row!;
  };
  const campaign = async (ids: string[], body: Record<string, unknown> = {}) => {
    const created = await api().post('/api/campaigns', {
      name: 'Spring outreach',
      defaultTimezone: 'America/New_York',
      schedule: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
      ...body,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await api().post(`/api/campaigns/${id}/prospects`, { prospectIds: ids })).json()).toEqual({
      added: ids.length,
      total: ids.length,
    });
    const started = await api().post(`/api/campaigns/${id}/start`);
    expect(started.statusCode, started.body).toBe(200);
    return id;
  };
  const states = async (id: string) =>
    (await api().get(`/api/campaigns/${id}/prospects?limit=200`)).json().items as {
      prospectId: string;
      state: string;
      attempts: number;
      skipReason: string | null;
      lastDisposition: string | null;
      nextAttemptAt: string | null;
    }[];
  const campaignCalls = (id: string) => fx.h.t.ctx.db.select().from(calls).where(eq(calls.campaignId, id));
  let seq = 0;
  const finish = async (callId: string, callStatus: 'completed' | 'no-answer' | 'busy') => {
    // An answered call is in progress before it completes, as Twilio reports it.
    if (callStatus === 'completed') await status(fx.h, createdCall(fx.h, callId), 'in-progress', 100 + seq++);
    const res = await status(
      fx.h,
      createdCall(fx.h, callId),
      callStatus,
      100 + seq++,
      callStatus === 'completed' ? 30 : 0,
    );
    expect(res.status).toBeLessThan(300);
  };

  return Object.assign(fx, { api, phone, prospect, campaign, states, campaignCalls, finish });
}
