/**
 * Issue 11's input probes, re-run: a NUL byte or an unpaired surrogate anywhere (body, query) is a
 * 400 naming the field, never a 500; a JSON route refuses a form-encoded body with 415.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('unsafe input on %s', (kind) => {
  let t: TestApp;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    org = await t.seedOrg();
  });
  afterAll(() => t?.close());

  const send = (method: 'GET' | 'POST', url: string, payload?: string, type = 'application/json') =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${org.tokens.agent}`, ...(payload ? { 'content-type': type } : {}) },
      ...(payload ? { payload } : {}),
    });

  it('refuses NUL bytes and unpaired surrogates with a 400 naming the field', async () => {
    for (const [payload, field] of [
      ['{"phone":"+14155550100","contact":"Ada\\u0000Lovelace"}', 'body.contact'],
      ['{"phone":"+14155550100","contact":"\\ud800"}', 'body.contact'],
      ['{"phone":"+14155550100","notes":"ok","contact":"x\\udc00y"}', 'body.contact'],
    ] as const) {
      const res = await send('POST', '/api/prospects', payload);
      expect(res.statusCode, payload).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    const query = await send('GET', '/api/prospects?q=%00');
    expect(query.statusCode).toBe(400);
    expect(query.json().error.message).toContain('query.q');
    // A clean request still works.
    expect(
      (await send('POST', '/api/prospects', '{"phone":"+14155550100","contact":"Ada"}')).statusCode,
    ).toBe(201);
  });

  it('refuses dates outside what Postgres stores with a 400', async () => {
    for (const url of [
      '/api/calls?from=0000-01-01T00:00:00Z',
      '/api/calls?to=0000-12-31T00:00:00Z',
      '/api/appointments?from=0000-01-01T00:00:00Z',
      '/api/calls?from=0000-01-01',
    ]) {
      const res = await send('GET', url);
      expect(res.statusCode, url).toBe(400);
    }
  });

  it('refuses a form-encoded body on a JSON route with 415', async () => {
    const res = await send(
      'POST',
      '/api/prospects',
      'phone=%2B14155550101',
      'application/x-www-form-urlencoded',
    );
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
    const list = (await t.as(org.tokens.viewer).get('/api/prospects?q=4155550101')).json();
    expect(list.items).toHaveLength(0);
  });
});
