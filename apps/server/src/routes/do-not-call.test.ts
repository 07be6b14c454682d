import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('do-not-call API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t?.close());

  it('adds, lists, imports and removes numbers, per organization', async () => {
    const a = await t.seedOrg();
    const b = await t.seedOrg();
    const api = t.as(a.tokens.admin);
    const added = await api.post('/api/do-not-call', { phone: '(415) 555-0150', reason: 'asked by email' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ phone: '+14155550150', reason: 'asked by email', source: 'manual' });
    expect((await api.post('/api/do-not-call', { phone: '+14155550150' })).statusCode).toBe(200);
    const bad = await api.post('/api/do-not-call', { phone: '12' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('phone');

    const imported = await api.post('/api/do-not-call/import', {
      csv: 'Phone,Reason\n+14155550151,complaint\n415-555-0152,\nnot a number,x\n+14155550150,dup\n',
    });
    expect(imported.json()).toEqual({ added: 2, existing: 1, invalid: [{ row: 4, value: 'not a number' }] });
    const list = (await api.get('/api/do-not-call')).json();
    expect(list.total).toBe(3);
    expect(list.items.find((e: { phone: string }) => e.phone === '+14155550151')).toMatchObject({
      source: 'import',
      reason: 'complaint',
    });
    expect((await api.get('/api/do-not-call?q=0152')).json().total).toBe(1);
    expect((await t.as(b.tokens.admin).get('/api/do-not-call')).json().total).toBe(0);
    expect((await t.as(b.tokens.admin).delete(`/api/do-not-call/${added.json().id}`)).statusCode).toBe(404);
    expect((await t.as(a.tokens.viewer).post('/api/do-not-call', { phone: '+14155550160' })).statusCode).toBe(
      403,
    );
    expect((await api.delete(`/api/do-not-call/${added.json().id}`)).statusCode).toBe(204);
    expect((await api.get('/api/do-not-call')).json().total).toBe(2);
  });
});
