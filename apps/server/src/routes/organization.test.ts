/**
 * The business profile: reading and changing it (roles, scoping, every bad-input rule), and that
 * it really drives check_availability, the overview's "today", agent overrides and phone parsing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCall } from '../testing/fixtures.ts';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { resultOf, toolHarness } from '../testing/tool-context.ts';

// Friday 2026-03-06 15:00 UTC = Saturday 00:00 in Tokyo.
const NOW = new Date('2026-03-06T15:00:00Z');
const kinds = await testDbKinds();

describe.each(kinds)('business profile on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind, { clock: () => NOW });
  });
  afterAll(() => t?.close());

  const patch = (org: SeededOrg, body: unknown, role: 'admin' | 'agent' | 'owner' = 'admin') =>
    t.as(org.tokens[role]).patch('/api/organization', body);

  it('shows the defaults and lets an admin change every field; agents and viewers may only read', async () => {
    const org = await t.seedOrg({ name: 'Maple Dental' });
    const read = await t.as(org.tokens.viewer).get('/api/organization');
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      id: org.id,
      name: 'Maple Dental',
      timezone: 'UTC',
      businessHours: { mon: [['09:00', '17:00']], sat: [], sun: [] },
      holidays: [],
      defaultCountry: 'US',
      retention: { recordingsDays: null, transcriptsDays: null },
    });
    expect((await patch(org, { name: 'X' }, 'agent')).statusCode).toBe(403);
    expect((await t.as(undefined).get('/api/organization')).statusCode).toBe(401);

    const res = await patch(org, {
      name: 'Maple Dental Tokyo',
      timezone: 'Asia/Tokyo',
      businessHours: {
        mon: [
          ['13:00', '17:00'],
          ['08:30', '12:00'],
        ],
        sat: [['10:00', '24:00']],
      },
      holidays: ['2026-12-25', '2026-01-01', '2026-12-25'],
      defaultCountry: 'gb',
      retention: { transcriptsDays: 90 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Maple Dental Tokyo',
      timezone: 'Asia/Tokyo',
      businessHours: {
        mon: [
          ['08:30', '12:00'],
          ['13:00', '17:00'],
        ],
        tue: [],
        sat: [['10:00', '24:00']],
      },
      holidays: ['2026-01-01', '2026-12-25'],
      defaultCountry: 'GB',
      retention: { recordingsDays: null, transcriptsDays: 90 },
    });
    // A partial retention change keeps the other duration.
    const again = await patch(org, { retention: { recordingsDays: 30 } }, 'owner');
    expect(again.json().retention).toEqual({ recordingsDays: 30, transcriptsDays: 90 });
    // Another organization is untouched.
    const other = await t.seedOrg();
    expect((await t.as(other.tokens.admin).get('/api/organization')).json().timezone).toBe('UTC');
    const audit = await t.as(org.tokens.admin).get('/api/audit?action=organization.update');
    expect(audit.json().items[0].details.fields).toEqual(['retention']);
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ businessHours: { mon: [['17:00', '09:00']] } }, 'businessHours.mon.0'],
    [
      {
        businessHours: {
          mon: [
            ['09:00', '12:00'],
            ['11:00', '14:00'],
          ],
        },
      },
      'businessHours.mon',
    ],
    [{ businessHours: { mon: [['9:00', '12:00']] } }, 'businessHours.mon.0.0'],
    [{ businessHours: { funday: [] } }, 'businessHours.funday'],
    [{ businessHours: { mon: [['24:00', '24:00']] } }, 'businessHours.mon.0'],
    [{ holidays: ['2026-02-30'] }, 'holidays.0'],
    [{ defaultCountry: 'XX' }, 'defaultCountry'],
    [{ retention: { transcriptsDays: 0 } }, 'retention.transcriptsDays'],
    [{ name: '' }, 'name'],
  ])('refuses %j with a 400 naming the field', async (body, path) => {
    const org = await t.seedOrg();
    const res = await patch(org, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toBe(path);
  });

  it("drives check_availability: the business's time zone, hours and holidays", async () => {
    const org = await t.seedOrg();
    // The seeded agent books in New York time; the shipped agent follows the business.
    expect(
      (await t.as(org.tokens.admin).patch(`/api/agents/${org.agent.id}`, { timezone: null })).statusCode,
    ).toBe(200);
    const h = await toolHarness(t, org);
    type Availability = { timeZone: string; open: boolean; slots: Array<{ start: string }>; note?: string };
    const check = async () =>
      resultOf<Availability>(await h.run('check_availability', { date: '2026-03-09' }));

    const before = await check();
    expect(before.timeZone).toBe('UTC');
    expect(before.slots[0]?.start).toBe('2026-03-09T09:00:00+00:00');

    await patch(org, { timezone: 'Asia/Tokyo', businessHours: { mon: [['10:00', '12:00']] } });
    const after = await check();
    expect(after.timeZone).toBe('Asia/Tokyo');
    expect(after.slots.map((s) => s.start)).toEqual([
      '2026-03-09T10:00:00+09:00',
      '2026-03-09T10:30:00+09:00',
      '2026-03-09T11:00:00+09:00',
      '2026-03-09T11:30:00+09:00',
    ]);

    await patch(org, { holidays: ['2026-03-09'] });
    const holiday = await check();
    expect(holiday).toMatchObject({ open: false, slots: [], note: 'Closed that day.' });

    // An agent's own hours override the business's weekly hours (holidays still apply).
    await patch(org, { holidays: [] });
    const res = await t.as(org.tokens.admin).patch(`/api/agents/${org.agent.id}`, {
      businessHours: { mon: [['15:00', '16:00']] },
    });
    expect(res.json().businessHours).toMatchObject({ mon: [['15:00', '16:00']], tue: [] });
    expect((await check()).slots.map((s) => s.start)).toEqual([
      '2026-03-09T15:00:00+09:00',
      '2026-03-09T15:30:00+09:00',
    ]);
    const bad = await t.as(org.tokens.admin).patch(`/api/agents/${org.agent.id}`, {
      businessHours: { mon: [['16:00', '15:00']] },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('drives what the overview calls today', async () => {
    const org = await t.seedOrg();
    // 23:00 on Friday in Tokyo, 14:00 on Friday in UTC; "now" is Saturday 00:00 in Tokyo.
    await insertCall(t.ctx.db, org.id, { createdAt: new Date('2026-03-06T14:00:00Z') });
    const today = async () => (await t.as(org.tokens.viewer).get('/api/stats/overview')).json().callsToday;
    expect(await today()).toBe(1);
    await patch(org, { timezone: 'Asia/Tokyo' });
    expect(await today()).toBe(0);
  });

  it('reads local phone numbers in the default country', async () => {
    const org = await t.seedOrg();
    const us = await t.as(org.tokens.agent).post('/api/prospects', { phone: '(415) 555-0100' });
    expect(us.json().phone).toBe('+14155550100');
    await patch(org, { defaultCountry: 'GB' });
    const gb = await t.as(org.tokens.agent).post('/api/prospects', { phone: '020 7946 0018' });
    expect(gb.statusCode).toBe(201);
    expect(gb.json().phone).toBe('+442079460018');
    const bad = await t.as(org.tokens.agent).post('/api/prospects', { phone: '12' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('phone');
    const imported = await t.as(org.tokens.agent).post('/api/prospects/import', {
      rows: [{ phone: '07700 900123' }, { phone: '999' }],
    });
    expect(imported.json()).toMatchObject({ created: 1, errors: [{ row: 2, field: 'phone' }] });
  });
});
