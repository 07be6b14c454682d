/** GET /widget.js and /widget.<hash>.js: the built widget, cacheable, loadable cross-origin. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../testing/test-app.ts';

describe('widget script', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp('pglite');
  });
  afterAll(() => t?.close());

  it('serves the bundle with an ETag, and the content-hashed URL for a year', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toContain('switchboard-widget');
    const etag = String(res.headers.etag);
    const hash = etag.replaceAll('"', '');
    const again = await t.app.inject({
      method: 'GET',
      url: '/widget.js',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    const hashed = await t.app.inject({ method: 'GET', url: `/widget.${hash}.js` });
    expect(hashed.statusCode).toBe(200);
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(hashed.body).toBe(res.body);
    expect((await t.app.inject({ method: 'GET', url: '/widget.0123456789ab.js' })).statusCode).toBe(404);
  });
});
