/**
 * Issue 11's import probes: a NUL byte in one cell fails that row only; a 5,000-row import
 * yields to the event loop while it validates (the longest stall is printed as a figure, not
 * asserted: speed belongs in the benchmark).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('importing unsafe and large files on %s', (kind) => {
  let t: TestApp;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    org = await t.seedOrg();
  });
  afterAll(() => t?.close());

  it('fails only the row with a NUL byte', async () => {
    const res = await t.as(org.tokens.agent).post('/api/prospects/import', {
      rows: [
        { phone: '+14155551001', name: 'Ada' },
        { phone: '+14155551002', name: 'Bad\u0000Cell' },
        { phone: '+14155551003', name: 'Grace' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 2, errors: [{ row: 2, field: 'name' }] });
  });

  it('imports 5,000 rows', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      phone: `+1415${String(5_000_000 + i).padStart(7, '0')}`,
      name: `Person ${i}`,
      company: 'Acme',
    }));
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const res = await t.as(org.tokens.agent).post('/api/prospects/import', { rows });
    delay.disable();
    expect(res.statusCode).toBe(200);
    expect(res.json().created).toBe(5000);
    console.info(
      `[figure] 5,000-row import on ${kind}: longest event-loop stall ${(delay.max / 1e6).toFixed(0)} ms ` +
        `(includes JSON parsing of the request body)`,
    );
  }, 60_000);
});
