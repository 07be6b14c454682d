/**
 * Organizations are isolated: org A can neither list, read, update nor delete anything of
 * org B by id, and the answer for B's ids is the same 404 as for ids that do not exist.
 */
import { randomUUID } from 'node:crypto';
import { agents, apiKeys, phoneNumbers, prospects, users } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAppointment, insertCall } from './testing/fixtures.ts';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from './testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('tenancy isolation on %s', (kind) => {
  let t: TestApp;
  let a: SeededOrg;
  let b: SeededOrg;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await buildTestApp(kind);
    a = await t.seedOrg({ name: 'A' });
    b = await t.seedOrg({ name: 'B' });
    const asB = t.as(b.tokens.owner);
    ids.agent = (await asB.post('/api/agents', { name: 'B sales' })).json().id;
    ids.prospect = (await asB.post('/api/prospects', { phone: '+14155550123', company: 'B Corp' })).json().id;
    ids.apiKey = (await asB.post('/api/api-keys', { name: 'B key' })).json().id;
    ids.phoneNumber = (
      await asB.post('/api/phone-numbers', { number: '+14155550124', agentId: ids.agent })
    ).json().id;
    ids.user = b.users.viewer.id;
    ids.call = (await insertCall(t.ctx.db, b.id, { prospectId: ids.prospect })).id;
    ids.appointment = (
      await insertAppointment(t.ctx.db, b.id, { start: new Date(), prospectId: ids.prospect })
    ).id;
  });
  afterAll(() => t.close());

  it('never lists another organization’s rows', async () => {
    const asA = t.as(a.tokens.owner);
    for (const url of [
      '/api/agents',
      '/api/prospects',
      '/api/calls',
      '/api/appointments',
      '/api/users',
      '/api/api-keys',
      '/api/phone-numbers',
    ]) {
      const res = await asA.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(JSON.stringify(res.json()), url).not.toMatch(new RegExp(Object.values(ids).join('|')));
    }
    const search = await asA.get('/api/prospects?q=B%20Corp');
    expect(search.json().total).toBe(0);
  });

  it('answers 404 for reads, updates and deletes by another organization’s ids, exactly as for unknown ids', async () => {
    const asA = t.as(a.tokens.owner);
    const attempts: [string, () => Promise<{ statusCode: number; json(): { error: { code: string } } }>][] = [
      ['GET agent', () => asA.get(`/api/agents/${ids.agent}`)],
      ['PATCH agent', () => asA.patch(`/api/agents/${ids.agent}`, { name: 'hijacked' })],
      ['DELETE agent', () => asA.delete(`/api/agents/${ids.agent}`)],
      ['GET prospect', () => asA.get(`/api/prospects/${ids.prospect}`)],
      ['PATCH prospect', () => asA.patch(`/api/prospects/${ids.prospect}`, { company: 'hijacked' })],
      ['DELETE prospect', () => asA.delete(`/api/prospects/${ids.prospect}`)],
      ['GET call', () => asA.get(`/api/calls/${ids.call}`)],
      ['PATCH user', () => asA.patch(`/api/users/${ids.user}`, { role: 'admin' })],
      ['DELETE user', () => asA.delete(`/api/users/${ids.user}`)],
      ['DELETE api key', () => asA.delete(`/api/api-keys/${ids.apiKey}`)],
      ['PATCH phone number', () => asA.patch(`/api/phone-numbers/${ids.phoneNumber}`, { label: 'hijacked' })],
      ['DELETE phone number', () => asA.delete(`/api/phone-numbers/${ids.phoneNumber}`)],
    ];
    for (const [name, attempt] of attempts) {
      const res = await attempt();
      expect(res.statusCode, name).toBe(404);
      expect(res.json().error.code, name).toBe('not_found');
    }
    const unknown = await asA.get(`/api/prospects/${randomUUID()}`);
    const foreign = await asA.get(`/api/prospects/${ids.prospect}`);
    expect(foreign.json()).toEqual({ error: { ...unknown.json().error } });
  });

  it('cannot point its own rows at another organization’s rows', async () => {
    const asA = t.as(a.tokens.owner);
    const res = await asA.post('/api/phone-numbers', { number: '+14155550125', agentId: ids.agent });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toBe('agentId');
    const calls = await asA.get(`/api/calls?prospectId=${ids.prospect}`);
    expect(calls.json().total).toBe(0);
    const appointments = await asA.get(`/api/appointments?prospectId=${ids.prospect}`);
    expect(appointments.json().total).toBe(0);
  });

  it('left every row of the other organization untouched', async () => {
    const db = t.ctx.db;
    expect((await db.select().from(agents).where(eq(agents.id, ids.agent!)))[0]?.name).toBe('B sales');
    expect((await db.select().from(prospects).where(eq(prospects.id, ids.prospect!)))[0]?.company).toBe(
      'B Corp',
    );
    expect((await db.select().from(users).where(eq(users.id, ids.user!)))[0]?.role).toBe('viewer');
    expect((await db.select().from(apiKeys).where(eq(apiKeys.id, ids.apiKey!)))[0]?.revokedAt).toBeNull();
    expect(
      (await db.select().from(phoneNumbers).where(eq(phoneNumbers.id, ids.phoneNumber!)))[0]?.label,
    ).toBe('');
  });
});
