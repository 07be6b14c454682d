import { prospects } from '@switchboard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();
const TWILIO_ENV = {
  PUBLIC_URL: 'https://bridge.example.com',
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'test_auth_token',
  TWILIO_PHONE_NUMBER: '+15005550006',
};

describe.each(kinds)('campaign API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind, { env: TWILIO_ENV });
  });
  afterAll(() => t?.close());

  const issuePath = (res: { json(): { error: { details: { issues: { path: string }[] } } } }) =>
    res.json().error.details.issues[0]?.path;

  it('creates with defaults, validates each field and keeps campaigns per organization', async () => {
    const a = await t.seedOrg();
    const b = await t.seedOrg();
    const api = t.as(a.tokens.admin);
    const created = await api.post('/api/campaigns', { name: 'Q2 follow-ups' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'Q2 follow-ups',
      status: 'draft',
      agentId: a.agent.id,
      schedule: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
      defaultTimezone: 'UTC',
      maxConcurrent: 5,
      voicemail: 'leave',
      stats: { total: 0, pending: 0, byDisposition: {} },
      startedAt: null,
    });

    const bad = async (body: Record<string, unknown>) => {
      const res = await api.post('/api/campaigns', { name: 'x', ...body });
      expect(res.statusCode).toBe(400);
      return issuePath(res);
    };
    expect(await bad({ schedule: { days: [1], start: '17:00', end: '09:00' } })).toBe('schedule.end');
    expect(await bad({ schedule: { days: [0, 8], start: '09:00', end: '17:00' } })).toBe('schedule.days.0');
    expect(await bad({ schedule: { days: [1], start: '9am', end: '17:00' } })).toBe('schedule.start');
    expect(await bad({ defaultTimezone: 'Mars/Olympus' })).toBe('defaultTimezone');
    expect(await bad({ maxConcurrent: 0 })).toBe('maxConcurrent');
    expect(
      await bad({ retry: { maxAttempts: 3, delayS: { no_answer: 0, busy: 1, voicemail: 1, failed: 1 } } }),
    ).toBe('retry.delayS.no_answer');
    expect(await bad({ agentId: b.agent.id })).toBe('agentId');
    expect(await bad({ stopOn: ['maybe'] })).toBe('stopOn.0');

    const id = created.json().id;
    expect((await t.as(b.tokens.admin).get(`/api/campaigns/${id}`)).statusCode).toBe(404);
    expect((await t.as(a.tokens.viewer).get('/api/campaigns')).json().total).toBe(1);
    expect((await t.as(a.tokens.viewer).post('/api/campaigns', { name: 'no' })).statusCode).toBe(403);
    const patched = await api.patch(`/api/campaigns/${id}`, {
      maxConcurrent: 12,
      defaultTimezone: 'Europe/Paris',
    });
    expect(patched.json()).toMatchObject({
      maxConcurrent: 12,
      defaultTimezone: 'Europe/Paris',
      voicemail: 'leave',
    });
    expect(issuePath(await api.patch(`/api/campaigns/${id}`, { agentId: b.agent.id }))).toBe('agentId');
  });

  it('builds the audience by ids or filter, refuses to start empty, and refuses to delete while running', async () => {
    const a = await t.seedOrg();
    const b = await t.seedOrg();
    const api = t.as(a.tokens.admin);
    const [p1, p2, p3] = await t.ctx.db
      .insert(prospects)
      .values([
        { organizationId: a.id, phone: '+14155550201', status: 'new', source: 'csv', company: 'Acme' },
        { organizationId: a.id, phone: '+14155550202', status: 'new', source: 'web', company: 'Globex' },
        {
          organizationId: a.id,
          phone: '+14155550203',
          status: 'qualified',
          source: 'csv',
          company: 'Initech',
        },
      ])
      .returning();
    const [foreign] = await t.ctx.db
      .insert(prospects)
      .values({ organizationId: b.id, phone: '+14155550204' })
      .returning();
    const id = (await api.post('/api/campaigns', { name: 'Audience' })).json().id;

    const start = await api.post(`/api/campaigns/${id}/start`);
    expect(start.statusCode).toBe(400);
    expect(issuePath(start)).toBe('prospects');

    const wrong = await api.post(`/api/campaigns/${id}/prospects`, { prospectIds: [p1!.id, foreign!.id] });
    expect(wrong.statusCode).toBe(400);
    expect(issuePath(wrong)).toBe('prospectIds.1');
    expect((await api.post(`/api/campaigns/${id}/prospects`, { prospectIds: [p1!.id] })).json()).toEqual({
      added: 1,
      total: 1,
    });
    expect(
      (await api.post(`/api/campaigns/${id}/prospects`, { filter: { status: 'new', source: 'csv' } })).json(),
    ).toEqual({ added: 0, total: 1 });
    expect((await api.post(`/api/campaigns/${id}/prospects`, { filter: { search: 'glob' } })).json()).toEqual(
      {
        added: 1,
        total: 2,
      },
    );
    const list = (await api.get(`/api/campaigns/${id}/prospects`)).json();
    expect(list.total).toBe(2);
    expect(list.items.map((i: { prospectId: string }) => i.prospectId).sort()).toEqual(
      [p1!.id, p2!.id].sort(),
    );
    expect(list.items[0]).toMatchObject({
      state: 'pending',
      attempts: 0,
      nextAttemptAt: null,
      skipReason: null,
    });
    expect(p3).toBeDefined();
    // CSV: creates new prospects, updates known ones, adds both; bad rows are reported.
    const csv = await api.post(`/api/campaigns/${id}/prospects`, {
      csv: 'Name,Phone,Time zone\nNew Person,+14155550205,Europe/Paris\nAcme again,+14155550201,\nBroken,not-a-phone,\n',
    });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.json()).toMatchObject({
      added: 1,
      total: 3,
      import: { created: 1, updated: 1, errors: [{ row: 3, field: 'phone' }] },
    });

    const started = await api.post(`/api/campaigns/${id}/start`);
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ status: 'running', stats: { total: 3, pending: 3 } });
    expect(started.json().startedAt).not.toBeNull();
    expect((await api.delete(`/api/campaigns/${id}`)).statusCode).toBe(409);
    expect((await api.post(`/api/campaigns/${id}/start`)).statusCode).toBe(409);
    expect((await api.post(`/api/campaigns/${id}/pause`)).json().status).toBe('paused');
    expect((await api.post(`/api/campaigns/${id}/resume`)).json().status).toBe('running');
    expect((await api.post(`/api/campaigns/${id}/stop`)).json().status).toBe('stopped');
    expect((await api.post(`/api/campaigns/${id}/bogus`)).statusCode).toBe(400);
    expect((await api.delete(`/api/campaigns/${id}`)).statusCode).toBe(204);
    expect((await api.get(`/api/campaigns/${id}`)).statusCode).toBe(404);
  });
});

describe.each(kinds)('prospect consent on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t?.close());

  it('stores the consent basis and its date, and filters by it', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    const written = await api.post('/api/prospects', {
      phone: '+14155550501',
      consent: 'written',
      consentAt: '2026-02-01T10:00:00+01:00',
    });
    expect(written.statusCode).toBe(201);
    expect(written.json()).toMatchObject({ consent: 'written', consentAt: '2026-02-01T09:00:00.000Z' });
    expect((await api.post('/api/prospects', { phone: '+14155550502' })).json()).toMatchObject({
      consent: 'none',
      consentAt: null,
    });
    expect((await api.post('/api/prospects', { phone: '+14155550503', consent: 'maybe' })).statusCode).toBe(
      400,
    );
    const filtered = (await api.get('/api/prospects?consent=written')).json();
    expect(filtered.items.map((p: { phone: string }) => p.phone)).toEqual(['+14155550501']);
    const patched = await api.patch(`/api/prospects/${written.json().id}`, {
      consent: 'express',
      consentAt: null,
    });
    expect(patched.json()).toMatchObject({ consent: 'express', consentAt: null });
  });
});

describe('campaign start without Twilio', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp('pglite', { env: { PUBLIC_URL: 'https://bridge.example.com' } });
  });
  afterAll(() => t?.close());

  it('answers 400 naming twilio', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    const [p] = await t.ctx.db
      .insert(prospects)
      .values({ organizationId: org.id, phone: '+14155550301' })
      .returning();
    const id = (await api.post('/api/campaigns', { name: 'No Twilio' })).json().id;
    await api.post(`/api/campaigns/${id}/prospects`, { prospectIds: [p!.id] });
    const res = await api.post(`/api/campaigns/${id}/start`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toBe('twilio');
  });
});
