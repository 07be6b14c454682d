import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { SERVER_VERSION } from '../version.ts';

const kinds = await testDbKinds();

describe.each(kinds)('GET /health on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('reports ok with the version, without authentication', async () => {
    const res = await t.as(undefined).get('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', version: SERVER_VERSION, callWritesLost: 0 });
  });

  it('answers 503 when the database does not answer', async () => {
    const ping = t.ctx.database.ping;
    t.ctx.database.ping = () => Promise.reject(new Error('connection refused'));
    try {
      const res = await t.as(undefined).get('/health');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        status: 'error',
        database: 'unreachable',
        version: SERVER_VERSION,
        callWritesLost: 0,
      });
    } finally {
      t.ctx.database.ping = ping;
    }
  });
});
