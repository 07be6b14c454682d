/**
 * Issue 19: a 5,000-row import must not hold the event loop live calls' audio runs on. The
 * loop's turns are counted while the request runs; getters on the first and the last row note
 * the turn at which the route first reads them (no timing involved).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp } from '../testing/test-app.ts';

describe('a 5,000-row import', () => {
  let t: TestApp;
  let org: SeededOrg;
  let turns = 0;
  const seen: number[] = [];
  const watched = (phone: string): Record<string, unknown> =>
    Object.defineProperty({ company: `O'Brien "&" Söhne 😀`, notes: 'line 1\nline 2' }, 'phone', {
      enumerable: true,
      get: () => {
        seen.push(turns);
        return phone;
      },
    });

  beforeAll(async () => {
    t = await buildTestApp('pglite', {
      // After the body is parsed and before the route validates it: the first and the last row watched.
      extend: (app) => {
        app.addHook('preHandler', async (request) => {
          const body = request.body as { rows?: unknown[] } | undefined;
          if (request.url !== '/api/prospects/import' || !body?.rows) return;
          body.rows[0] = watched('+14155550001');
          body.rows[body.rows.length - 1] = watched('+14155550002');
        });
      },
    });
    org = await t.seedOrg();
  });
  afterAll(() => t?.close());

  it('lets the event loop turn between reading its first and its last row, and imports every row', async () => {
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      phone: `+1628${String(i).padStart(7, '0')}`,
      contact: `Prospect ${i}`,
    }));
    const res = await t.as(org.tokens.agent).post('/api/prospects/import', { rows });
    ticking = false;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 5000, updated: 0, skipped: 0, errors: [] });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[1]).toBeGreaterThan(seen[0]!);
    // The rows written as JSON keep every character and the columns' defaults.
    const list = (await t.as(org.tokens.agent).get('/api/prospects?q=%2B14155550002')).json();
    expect(list.items).toMatchObject([
      {
        phone: '+14155550002',
        company: `O'Brien "&" Söhne 😀`,
        notes: 'line 1\nline 2',
        contact: '',
        email: null,
        timezone: null,
        status: 'new',
        source: 'csv',
        consent: 'none',
        consentAt: null,
      },
    ]);
  }, 60_000);
});
