import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../testing/test-app.ts';

describe('dashboard serving', () => {
  let t: TestApp;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'app-abc.js'), 'console.log(1)');
    t = await buildTestApp('pglite', { dashboardDir: dir });
  });
  afterAll(() => t?.close());

  it('serves the build, with index.html for client routes', async () => {
    for (const path of ['/', '/calls/123', '/agents']) {
      const page = await t.as(undefined).get(path);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('id="root"');
    }
    const asset = await t.as(undefined).get('/assets/app-abc.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('never answers /api, /health or missing assets with the page', async () => {
    const api = await t.as(undefined).get('/api/nope');
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
    expect((await t.as(undefined).get('/assets/missing.js')).statusCode).toBe(404);
    expect((await t.as(undefined).get('/health')).json().status).toBe('ok');
  });
});

describe('security headers for the dashboard', () => {
  it('send a CSP that does not force https on plain-http installs', async () => {
    const t = await buildTestApp('pglite');
    try {
      const res = await t.as(undefined).get('/health');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    } finally {
      await t.close();
    }
  });
});
