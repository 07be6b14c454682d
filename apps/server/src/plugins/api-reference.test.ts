import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../testing/test-app.ts';
import { apiReferenceLoaded, referencePolicy } from './api-reference.ts';

// The reference depends on routes only, not on the database: PGlite is enough.
describe('interactive API reference', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp('pglite');
  });
  afterAll(() => t.close());

  it('serves the page and its script from this server, allowing only its own inline script', async () => {
    // Scalar's module (≈ 15 MiB) is loaded by the first request for the reference, not at start.
    expect(apiReferenceLoaded()).toBe(false);
    expect((await t.app.inject({ url: '/api/docs' })).headers.location).toBe('/api/docs/');
    const page = await t.app.inject({ url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('src="js/scalar.js"');
    expect(page.body).toContain('"url": "/api/docs/openapi.json"');
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/); // nothing from a CDN
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain("unsafe-inline';script");
    expect(csp).toBe(referencePolicy(page.body));
    const script = await t.app.inject({ url: '/api/docs/js/scalar.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    // The JSON document moved under the reference.
    expect((await t.app.inject({ url: '/api/docs/openapi.json' })).json().openapi).toBe('3.1.0');
  });

  it('keeps helmet’s strict policy everywhere else', async () => {
    const res = await t.app.inject({ url: '/api/docs/openapi.json' });
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self';");
  });
});
