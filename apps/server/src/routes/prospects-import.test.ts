import { prospects } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('prospect import on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('imports good rows, reports bad rows by number and field, and maps header aliases', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    const res = await api.post('/api/prospects/import', {
      rows: [
        {
          Name: 'Ada Lovelace',
          'Phone Number': '(415) 555-0100',
          Organization: 'Acme',
          Email: 'ada@acme.test',
        },
        { contact_name: 'Bad Phone', phone: 'call me maybe' },
        {
          first_name: 'Grace',
          last_name: 'Hopper',
          mobile: '+1 415 555 0101',
          status: 'Qualified',
          tz: 'America/Chicago',
        },
        { company: 'No phone at all' },
        { phone: '+14155550102', email: 'not-an-email', timezone: 'Nowhere/Else' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const result = res.json();
    expect(result).toMatchObject({ created: 2, updated: 0, skipped: 0 });
    expect(result.errors).toEqual([
      { row: 2, field: 'phone', message: expect.stringMatching(/^Enter the number with its country code/) },
      { row: 4, field: 'phone', message: expect.stringMatching(/required/) },
      { row: 5, field: 'email', message: 'must be a valid email address' },
      { row: 5, field: 'timezone', message: expect.stringMatching(/IANA/) },
    ]);
    const list = (await api.get('/api/prospects?sort=contact&order=asc')).json();
    expect(list.items).toMatchObject([
      {
        contact: 'Ada Lovelace',
        company: 'Acme',
        phone: '+14155550100',
        email: 'ada@acme.test',
        source: 'csv',
      },
      { contact: 'Grace Hopper', phone: '+14155550101', status: 'qualified', timezone: 'America/Chicago' },
    ]);
  });

  it('skips or updates duplicates (in the database and within the file)', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    await api.post('/api/prospects', {
      phone: '+14155550200',
      company: 'Old name',
      contact: 'Kept',
      notes: 'keep me',
    });
    const rows = [
      { phone: '415-555-0200', company: 'New name' },
      { phone: '+14155550201', company: 'Fresh' },
      { phone: '+1 (415) 555-0201', contact: 'Second row of Fresh' },
    ];
    const skipped = (await api.post('/api/prospects/import', { rows })).json();
    expect(skipped).toEqual({ created: 1, updated: 0, skipped: 2, errors: [] });
    const byPhone = async (phone: string) =>
      (await t.ctx.db.select().from(prospects).where(eq(prospects.phone, phone))).find(
        (p) => p.organizationId === org.id,
      );
    expect((await byPhone('+14155550200'))?.company).toBe('Old name');

    const updated = (
      await api.post('/api/prospects/import', { rows, onDuplicate: 'update', source: 'trade-show' })
    ).json();
    expect(updated).toEqual({ created: 0, updated: 3, skipped: 0, errors: [] });
    // Only the columns the row filled in change.
    expect(await byPhone('+14155550200')).toMatchObject({
      company: 'New name',
      contact: 'Kept',
      notes: 'keep me',
    });
    expect(await byPhone('+14155550201')).toMatchObject({ company: 'Fresh', contact: 'Second row of Fresh' });
  });

  it('predicts duplicates and errors in a dry run, org-scoped, without writing', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    const existing = (await api.post('/api/prospects', { phone: '+14155550300', company: 'Have' })).json();
    await t.as(other.tokens.agent).post('/api/prospects', { phone: '+14155550301', company: 'Other org' });
    const rows = [
      { phone: '(415) 555-0300', company: 'Already here' },
      { phone: '+14155550301', company: 'Only the other org has it' },
      { phone: '+1 415 555 0301', company: 'Repeat of row 2' },
      { phone: 'no number', company: 'Bad' },
    ];
    const res = await api.post('/api/prospects/import?dryRun=true', { rows });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      created: 1,
      updated: 0,
      skipped: 2,
      errors: [{ row: 4, field: 'phone', message: expect.stringMatching(/like \+1 415 555 0100/) }],
      duplicates: [
        { row: 1, phone: '+14155550300', reason: 'exists', existingId: existing.id },
        { row: 3, phone: '+14155550301', reason: 'repeated', firstRow: 2 },
      ],
      dryRun: true,
    });
    expect((await api.get('/api/prospects')).json().total).toBe(1);
    const update = await api.post('/api/prospects/import?dryRun=1', { rows, onDuplicate: 'update' });
    expect(update.json()).toMatchObject({ created: 1, updated: 2, skipped: 0, dryRun: true });
    expect((await api.post('/api/prospects/import?dryRun=maybe', { rows })).statusCode).toBe(400);
    expect(
      (await t.as(org.tokens.viewer).post('/api/prospects/import?dryRun=true', { rows })).statusCode,
    ).toBe(403);
    // Without the flag the import writes and answers in its usual shape.
    expect((await api.post('/api/prospects/import?dryRun=false', { rows })).json()).toEqual({
      created: 1,
      updated: 0,
      skipped: 2,
      errors: [expect.objectContaining({ row: 4 })],
    });
  });

  it('validates the envelope and limits', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    expect((await api.post('/api/prospects/import', { rows: [] })).statusCode).toBe(400);
    expect((await api.post('/api/prospects/import', { rows: [{ phone: '+1' }], extra: 1 })).statusCode).toBe(
      400,
    );
    expect((await api.post('/api/prospects/import', { rows: 'nope' })).statusCode).toBe(400);
    const many = Array.from({ length: 5001 }, (_, i) => ({ phone: `+1415555${String(i).padStart(4, '0')}` }));
    expect((await api.post('/api/prospects/import', { rows: many })).statusCode).toBe(400);
    expect(
      (await t.as(org.tokens.viewer).post('/api/prospects/import', { rows: [{ phone: '+14155550100' }] }))
        .statusCode,
    ).toBe(403);
  });

  it('imports a few thousand rows in one request', async () => {
    const org = await t.seedOrg();
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      'Company Name': `Company ${i}`,
      'Contact Name': `Person ${i}`,
      Phone: `+1415556${String(i).padStart(4, '0')}`,
      Email: `p${i}@example.test`,
    }));
    const res = await t.as(org.tokens.agent).post('/api/prospects/import', { rows });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 3000, updated: 0, skipped: 0, errors: [] });
    expect((await t.as(org.tokens.viewer).get('/api/prospects?limit=1')).json().total).toBe(3000);
  });
});
