import { prospects } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('prospects on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('creates, reads, updates and deletes a prospect', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    const created = await api.post('/api/prospects', {
      company: ' Acme ',
      contact: 'Ada Lovelace',
      phone: '(415) 555-0100',
      email: 'ada@acme.test',
      timezone: 'America/Los_Angeles',
    });
    expect(created.statusCode).toBe(201);
    const prospect = created.json();
    expect(prospect).toMatchObject({
      company: 'Acme',
      phone: '+14155550100',
      status: 'new',
      source: 'manual',
      notes: '',
    });
    expect(prospect.createdAt).toMatch(/Z$/);
    expect((await api.get(`/api/prospects/${prospect.id}`)).json()).toEqual(prospect);

    const updated = await api.patch(`/api/prospects/${prospect.id}`, { status: 'qualified', email: null });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ status: 'qualified', email: null, company: 'Acme' });

    expect((await api.delete(`/api/prospects/${prospect.id}`)).statusCode).toBe(204);
    expect((await api.get(`/api/prospects/${prospect.id}`)).statusCode).toBe(404);
    expect((await api.delete(`/api/prospects/${prospect.id}`)).statusCode).toBe(404);
  });

  it('answers 409 conflict for a duplicate phone, on create and on update', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    const first = (await api.post('/api/prospects', { phone: '+14155550101' })).json();
    const dup = await api.post('/api/prospects', { phone: '415-555-0101' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({
      code: 'conflict',
      details: { field: 'phone', existingId: first.id },
    });
    const other = (await api.post('/api/prospects', { phone: '+14155550102' })).json();
    const clash = await api.patch(`/api/prospects/${other.id}`, { phone: '+14155550101' });
    expect(clash.statusCode).toBe(409);
    // Another organization may have the same number.
    const org2 = await t.seedOrg();
    expect((await t.as(org2.tokens.agent).post('/api/prospects', { phone: '+14155550101' })).statusCode).toBe(
      201,
    );
  });

  it('rejects bad input with clear 4xx errors and writes nothing', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    const cases: [unknown, string][] = [
      [{ phone: '12' }, 'phone'],
      [{ phone: '+14155550103', hacker: true }, 'hacker'],
      [{ phone: '+14155550103', company: 'x'.repeat(201) }, 'company'],
      [{ phone: 14155550103 }, 'phone'],
      [{ phone: '+14155550103', email: 'nope' }, 'email'],
      [{ phone: '+14155550103', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ phone: '+14155550103', status: 'hot' }, 'status'],
      [{}, 'phone'],
      [[], ''],
    ];
    for (const [body, path] of cases) {
      const res = await api.post('/api/prospects', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe('validation_failed');
      expect(error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/prospects',
      headers: { authorization: `Bearer ${org.tokens.agent}`, 'content-type': 'application/json' },
      payload: '{"phone": "+1415',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('invalid_json');
    expect((await api.get('/api/prospects/not-a-uuid')).json().error).toMatchObject({
      code: 'validation_failed',
      details: { issues: [{ path: 'id', message: 'must be a UUID' }] },
    });
    expect((await api.get('/api/prospects?limit=1000')).statusCode).toBe(400);
    expect((await api.get('/api/prospects?sort=password')).statusCode).toBe(400);
    expect(await t.ctx.db.$count(prospects, eq(prospects.organizationId, org.id))).toBe(0);
  });

  it('treats SQL metacharacters as plain text', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    const evil = "'; drop table prospects;--";
    const created = await api.post('/api/prospects', { phone: '+14155550104', company: evil, notes: '%_\\' });
    expect(created.statusCode).toBe(201);
    expect(created.json().company).toBe(evil);
    const found = await api.get(`/api/prospects?q=${encodeURIComponent(evil)}`);
    expect(found.statusCode).toBe(200);
    expect(found.json().items.map((p: { id: string }) => p.id)).toEqual([created.json().id]);
    // LIKE wildcards in q match literally.
    expect((await api.get('/api/prospects?q=%25')).json().total).toBe(0);
    expect((await api.get(`/api/prospects?status=${encodeURIComponent("new' or '1'='1")}`)).statusCode).toBe(
      400,
    );
    expect(await t.ctx.db.$count(prospects)).toBeGreaterThan(0);
  });

  it('searches, filters, sorts and paginates', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    const rows = [
      { company: 'Alpha Dental', contact: 'Zoe', phone: '+14155550111', status: 'new', source: 'csv' },
      {
        company: 'Bravo Plumbing',
        contact: 'Yann',
        phone: '+14155550112',
        status: 'qualified',
        source: 'csv',
      },
      {
        company: 'Charlie Cafe',
        contact: 'Xena',
        phone: '+14155550113',
        status: 'new',
        source: 'web',
        email: 'x@charlie.test',
      },
      { company: 'Delta Dental', contact: 'Walt', phone: '+442071838750', status: 'won', source: 'manual' },
    ];
    for (const row of rows) expect((await api.post('/api/prospects', row)).statusCode).toBe(201);
    const names = async (query: string) =>
      (await api.get(`/api/prospects?${query}`)).json().items.map((p: { company: string }) => p.company);

    expect(await names('q=dental&sort=company&order=asc')).toEqual(['Alpha Dental', 'Delta Dental']);
    expect(await names('q=XENA')).toEqual(['Charlie Cafe']);
    expect(await names('q=charlie.test')).toEqual(['Charlie Cafe']);
    expect(await names('q=(415) 555-0112')).toEqual(['Bravo Plumbing']);
    expect(await names('q=7183')).toEqual(['Delta Dental']);
    expect(await names('status=new&sort=company&order=desc')).toEqual(['Charlie Cafe', 'Alpha Dental']);
    expect(await names('source=csv&sort=contact&order=asc')).toEqual(['Bravo Plumbing', 'Alpha Dental']);
    expect(await names('sort=company&order=asc')).toEqual([
      'Alpha Dental',
      'Bravo Plumbing',
      'Charlie Cafe',
      'Delta Dental',
    ]);
    // Default order: newest first.
    expect(await names('')).toEqual(['Delta Dental', 'Charlie Cafe', 'Bravo Plumbing', 'Alpha Dental']);

    const page = await api.get('/api/prospects?sort=company&order=asc&limit=2&offset=2');
    expect(page.json()).toMatchObject({ total: 4, limit: 2, offset: 2 });
    expect(page.json().items.map((p: { company: string }) => p.company)).toEqual([
      'Charlie Cafe',
      'Delta Dental',
    ]);
    const beyond = (await api.get('/api/prospects?offset=10')).json();
    expect(beyond).toMatchObject({ items: [], total: 4, limit: 50, offset: 10 });
  });
});
