import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../testing/test-app.ts';

// The document depends on routes only, not on the database: PGlite is enough.
describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp('pglite');
  });
  afterAll(() => t.close());

  it('is served publicly at /api/docs/openapi.json and covers every declared route', async () => {
    const res = await t.as(undefined).get('/api/docs/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    for (const route of t.app.apiRoutes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
  });

  it('derives parameters, bodies, responses and roles from the zod schemas', async () => {
    const doc = (await t.as(undefined).get('/api/docs/openapi.json')).json();
    const create = doc.paths['/api/prospects'].post;
    expect(create['x-min-role']).toBe('agent');
    expect(create.security).toEqual([{ bearer: [] }]);
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['phone']);
    expect(body.additionalProperties).toBe(false);
    expect(create.responses['201'].content['application/json'].schema.properties.createdAt).toBeDefined();
    const list = doc.paths['/api/prospects'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'status', 'sort', 'order', 'limit', 'offset']),
    );
    const one = doc.paths['/api/prospects/{id}'].get;
    expect(one.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/api/agents/{id}'].delete.responses['204']).toEqual({ description: 'No content' });
  });
});
