import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('error handling on %s', (kind) => {
  let t: TestApp;
  const logged: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const log = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    t = await buildTestApp(kind, {
      log,
      extend: (app) => {
        app.get('/api/test/crash', { config: { auth: 'public' } }, async () => {
          throw new Error('connection to 10.0.0.5 refused: password authentication failed for user "sb"');
        });
        app.get('/api/test/app-error', { config: { auth: 'public' } }, async () => {
          throw new AppError('conflict', 'Already there', { field: 'x' });
        });
      },
    });
  });
  afterAll(() => t.close());

  it('hides the internals of 5xx errors from the client and logs them', async () => {
    const res = await t.as(undefined).get('/api/test/crash');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal', message: 'Internal server error' } });
    expect(res.body).not.toMatch(/10\.0\.0\.5|password|stack/);
    expect(res.headers['x-request-id']).toBeTruthy();
    const line = logged.find((l) => l.msg === 'request failed');
    expect(JSON.stringify(line)).toContain('10.0.0.5');
    expect(line?.reqId).toBe(res.headers['x-request-id']);
  });

  it('answers AppErrors with their code, status and details', async () => {
    const res = await t.as(undefined).get('/api/test/app-error');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: { code: 'conflict', message: 'Already there', details: { field: 'x' } },
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.as(undefined).get('/api/nope?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'Route GET /api/nope not found' } });
  });

  it('translates body-parsing failures', async () => {
    const org = await t.seedOrg();
    const send = (payload: string, contentType = 'application/json') =>
      t.app.inject({
        method: 'POST',
        url: '/api/prospects',
        headers: { authorization: `Bearer ${org.tokens.agent}`, 'content-type': contentType },
        payload,
      });
    expect((await send('{"phone":')).json().error.code).toBe('invalid_json');
    const empty = await send('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('invalid_json');
    const huge = await send(JSON.stringify({ phone: '+14155550100', notes: 'x'.repeat(1024 * 1024) }));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
    const xml = await send('<prospect/>', 'application/xml');
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('unsupported_media_type');
    // A request id from the caller is kept when sane.
    const traced = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'lb-123' },
    });
    expect(traced.headers['x-request-id']).toBe('lb-123');
  });

  it('sets security headers and CORS for the dashboard origin only', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'http://localhost:5173' },
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const evil = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });
});
