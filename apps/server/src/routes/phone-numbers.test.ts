import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('phone numbers on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('registers, routes, relabels and removes numbers', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    const created = await api.post('/api/phone-numbers', {
      number: '(415) 555-0400',
      label: 'Main',
      agentId: org.agent.id,
    });
    expect(created.statusCode).toBe(201);
    const number = created.json();
    expect(number).toMatchObject({ number: '+14155550400', label: 'Main', agentId: org.agent.id });

    const unrouted = await api.patch(`/api/phone-numbers/${number.id}`, { agentId: null, label: 'Spare' });
    expect(unrouted.json()).toMatchObject({ agentId: null, label: 'Spare' });
    expect((await api.patch(`/api/phone-numbers/${number.id}`, {})).json().label).toBe('Spare');
    expect((await t.as(org.tokens.viewer).get('/api/phone-numbers')).json()).toMatchObject({
      total: 1,
      items: [{ id: number.id }],
    });
    expect((await api.delete(`/api/phone-numbers/${number.id}`)).statusCode).toBe(204);
    expect((await api.get('/api/phone-numbers')).json().total).toBe(0);
  });

  it('keeps numbers unique across the installation and validates them', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    expect(
      (await t.as(org.tokens.admin).post('/api/phone-numbers', { number: '+14155550401' })).statusCode,
    ).toBe(201);
    const taken = await t.as(other.tokens.admin).post('/api/phone-numbers', { number: '415-555-0401' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('conflict');
    const api = t.as(org.tokens.admin);
    expect((await api.post('/api/phone-numbers', { number: 'front desk' })).statusCode).toBe(400);
    expect(
      (await api.post('/api/phone-numbers', { number: '+14155550402', agentId: 'abc' })).statusCode,
    ).toBe(400);
    const unknownAgent = await api.post('/api/phone-numbers', {
      number: '+14155550402',
      agentId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownAgent.statusCode).toBe(400);
    expect(unknownAgent.json().error.details.issues).toEqual([{ path: 'agentId', message: 'no such agent' }]);
  });
});
