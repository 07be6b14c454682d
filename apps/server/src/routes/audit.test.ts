import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('GET /api/audit on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t?.close());

  it('lists the organization’s log newest first, filtered by actor, action and time; admins only', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    await t.as(org.tokens.agent).post('/api/prospects', { phone: '+14155550161' });
    await t.as(org.tokens.admin).patch('/api/organization', { name: 'Renamed' });
    await t.as(other.tokens.agent).post('/api/prospects', { phone: '+14155550162' });
    const key = (
      await t.as(org.tokens.owner).post('/api/api-keys', { name: 'CRM sync', role: 'agent' })
    ).json();
    await t.as(key.key).post('/api/prospects', { phone: '+14155550163' });

    const api = t.as(org.tokens.admin);
    const all = (await api.get('/api/audit')).json();
    expect(all.items.map((e: { action: string }) => e.action)).toEqual([
      'prospect.create',
      'api_key.create',
      'organization.update',
      'prospect.create',
    ]);
    expect(all.items[0].actor).toEqual({ type: 'api_key', id: key.id, label: 'CRM sync' });
    expect(all.items[3].actor).toEqual({
      type: 'user',
      id: org.users.agent.id,
      label: org.users.agent.email,
    });
    expect(all.items[3]).toMatchObject({ targetType: 'prospect', ip: '127.0.0.1' });

    const byActor = (await api.get(`/api/audit?actor=${org.users.admin.id}`)).json();
    expect(byActor.items.map((e: { action: string }) => e.action)).toEqual(['organization.update']);
    expect((await api.get('/api/audit?action=prospect.')).json().total).toBe(2);
    expect((await api.get('/api/audit?action=prospect.create')).json().total).toBe(2);
    expect((await api.get('/api/audit?from=2999-01-01T00:00:00Z')).json().total).toBe(0);
    expect((await api.get('/api/audit?to=2000-01-01T00:00:00Z')).json().total).toBe(0);
    expect((await api.get('/api/audit?limit=1&offset=1')).json()).toMatchObject({
      total: 4,
      items: [{ action: 'api_key.create' }],
    });

    expect((await api.get('/api/audit?action=DROP TABLE')).statusCode).toBe(400);
    expect((await api.get('/api/audit?actor=nope')).statusCode).toBe(400);
    expect((await api.get('/api/audit?from=yesterday')).statusCode).toBe(400);
    expect((await t.as(org.tokens.agent).get('/api/audit')).statusCode).toBe(403);
    expect((await t.as(undefined).get('/api/audit')).statusCode).toBe(401);
    expect((await t.as(other.tokens.admin).get('/api/audit')).json().total).toBe(1);
  });
});
