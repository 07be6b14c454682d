import { organizations } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAppointment, insertCall } from '../testing/fixtures.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

// Wednesday 2030-03-13, 11:00 in New York (EDT since Sunday 2030-03-10: the chart spans the DST change).
const NOW = new Date('2030-03-13T15:00:00Z');
const at = (iso: string) => new Date(iso);

describe.each(kinds)('GET /api/stats/overview on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind, { clock: () => NOW });
  });
  afterAll(() => t.close());

  it('aggregates today, this week and 14 days in the organization’s time zone', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const db = t.ctx.db;
    await db.update(organizations).set({ timezone: 'America/New_York' }).where(eq(organizations.id, org.id));
    // Today (local): 01:00, an hour ago (live), a stale ringing call from 7 h ago.
    await insertCall(db, org.id, {
      createdAt: at('2030-03-13T05:00:00Z'),
      answeredAt: at('2030-03-13T05:00:05Z'),
      durationS: 60,
      costUsd: '0.100000',
      latency: { turns: [100, 200, 300], p50Ms: 200, p90Ms: 300 },
    });
    await insertCall(db, org.id, {
      createdAt: at('2030-03-13T14:00:00Z'),
      answeredAt: at('2030-03-13T14:00:03Z'),
      status: 'in-progress',
    });
    await insertCall(db, org.id, { createdAt: at('2030-03-13T08:00:00Z'), status: 'ringing' });
    // Tuesday 23:30 local (03:30 UTC on Wednesday): yesterday, this week.
    await insertCall(db, org.id, {
      createdAt: at('2030-03-13T03:30:00Z'),
      status: 'no-answer',
      costUsd: '0.01',
    });
    // Monday 00:30 local: the first minutes of this week; per-call percentiles only.
    await insertCall(db, org.id, {
      createdAt: at('2030-03-11T04:30:00Z'),
      answeredAt: at('2030-03-11T04:30:04Z'),
      durationS: 120,
      latency: { turns: [], p50Ms: 500, p90Ms: 900 },
    });
    // Sunday 23:30 local: last week.
    await insertCall(db, org.id, {
      createdAt: at('2030-03-11T03:30:00Z'),
      answeredAt: at('2030-03-11T03:30:04Z'),
      durationS: 1000,
      costUsd: '5',
      latency: { turns: [5000] },
    });
    // The chart's first day (Feb 28, 01:00 EST) and the evening before it.
    await insertCall(db, org.id, { createdAt: at('2030-02-28T06:00:00Z') });
    await insertCall(db, org.id, { createdAt: at('2030-02-28T04:30:00Z') });
    await insertCall(db, other.id, {
      createdAt: at('2030-03-13T13:00:00Z'),
      status: 'in-progress',
      costUsd: '9',
    });
    const start = at('2030-03-20T15:00:00Z');
    await insertAppointment(db, org.id, { start, createdAt: at('2030-03-12T15:00:00Z') });
    await insertAppointment(db, org.id, {
      start,
      createdAt: at('2030-03-12T15:00:00Z'),
      status: 'cancelled',
    });
    await insertAppointment(db, org.id, { start, createdAt: at('2030-03-10T15:00:00Z') });
    await insertAppointment(db, other.id, { start, createdAt: at('2030-03-12T15:00:00Z') });

    const res = await t.as(org.tokens.viewer).get('/api/stats/overview');
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    expect(stats).toMatchObject({
      callsToday: 3,
      callsThisWeek: 5,
      answerRate: 0.6,
      avgDurationS: 90,
      meetingsBooked: 1,
      liveCalls: 1,
      latencyP50Ms: 200,
      latencyP90Ms: 900,
      costUsd: 0.11,
    });
    expect(stats.callsPerDay).toHaveLength(14);
    expect(stats.callsPerDay[0]).toEqual({ date: '2030-02-28', count: 1 });
    expect(stats.callsPerDay.slice(-4)).toEqual([
      { date: '2030-03-10', count: 1 },
      { date: '2030-03-11', count: 1 },
      { date: '2030-03-12', count: 1 },
      { date: '2030-03-13', count: 3 },
    ]);
    const total = stats.callsPerDay.reduce((sum: number, d: { count: number }) => sum + d.count, 0);
    expect(total).toBe(7);
  });

  it('does not count attempts that never reached the phone network', async () => {
    const org = await t.seedOrg();
    const db = t.ctx.db;
    for (const endReason of ['twilio_not_configured', 'no_caller_id', 'twilio_auth_failed'] as const) {
      await insertCall(db, org.id, { createdAt: at('2030-03-13T14:00:00Z'), status: 'failed', endReason });
    }
    let stats = (await t.as(org.tokens.viewer).get('/api/stats/overview')).json();
    expect(stats).toMatchObject({ callsToday: 0, callsThisWeek: 0, answerRate: null });
    expect(stats.callsPerDay.at(-1).count).toBe(0);
    // A call that rang and failed on the network is a call.
    await insertCall(db, org.id, {
      createdAt: at('2030-03-13T14:00:00Z'),
      status: 'failed',
      endReason: 'failed',
    });
    stats = (await t.as(org.tokens.viewer).get('/api/stats/overview')).json();
    expect(stats).toMatchObject({ callsToday: 1, answerRate: 0 });
  });

  it("does not count the dashboard's test calls and test chats, but counts the widget's chats", async () => {
    const org = await t.seedOrg();
    const db = t.ctx.db;
    const today = { createdAt: at('2030-03-13T14:00:00Z'), answeredAt: at('2030-03-13T14:00:01Z') };
    await insertCall(db, org.id, { ...today, direction: 'web', from: 'browser', channel: 'phone' });
    await insertCall(db, org.id, { ...today, direction: 'web', from: 'browser', channel: 'web_chat' });
    let stats = (await t.as(org.tokens.viewer).get('/api/stats/overview')).json();
    expect(stats).toMatchObject({ callsToday: 0, callsThisWeek: 0, answerRate: null });
    await insertCall(db, org.id, { ...today, direction: 'web', from: 'website', channel: 'web_chat' });
    stats = (await t.as(org.tokens.viewer).get('/api/stats/overview')).json();
    expect(stats).toMatchObject({ callsToday: 1, answerRate: 1 });
  });

  it('answers zeros for an organization without calls', async () => {
    const org = await t.seedOrg();
    const stats = (await t.as(org.tokens.viewer).get('/api/stats/overview')).json();
    expect(stats).toMatchObject({
      callsToday: 0,
      callsThisWeek: 0,
      answerRate: null,
      avgDurationS: null,
      meetingsBooked: 0,
      liveCalls: 0,
      latencyP50Ms: null,
      latencyP90Ms: null,
      costUsd: 0,
    });
    // UTC organization: the chart ends today in UTC.
    expect(stats.callsPerDay.at(-1)).toEqual({ date: '2030-03-13', count: 0 });
    expect(stats.callsPerDay[0]).toEqual({ date: '2030-02-28', count: 0 });
  });

  it('needs a token', async () => {
    expect((await t.as(undefined).get('/api/stats/overview')).statusCode).toBe(401);
  });
});
