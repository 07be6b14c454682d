/**
 * The OpenAPI 3.1 document at `GET /api/docs/openapi.json` (rendered as an interactive reference
 * at `/api/docs/`, plugins/api-reference.ts), generated from the routes themselves: every
 * route declared with defineRoute carries its zod schemas in `config.doc`, collected here by
 * an onRoute hook and converted with `z.toJSONSchema`. `app.apiRoutes` exposes the same
 * registry (tests walk it to check auth on every route).
 */
import { errorResponseSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute, type RouteDoc } from '../http/route.ts';
import { SERVER_VERSION } from '../version.ts';
import { OPENAPI_JSON_URL } from './api-reference.ts';

export interface ApiRoute {
  method: string;
  url: string;
  doc: RouteDoc;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route declared with defineRoute, in registration order. */
    apiRoutes: readonly ApiRoute[];
  }
}

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

/** `GET /api/agents/:id` → `getApiAgentsId`. */
function operationId(route: ApiRoute): string {
  const words = route.url.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return route.method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function operation(route: ApiRoute): JsonSchema {
  const { doc } = route;
  const responses: JsonSchema = {};
  for (const [status, schema] of Object.entries(doc.responses)) {
    responses[status] = schema
      ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(schema, 'output') } } }
      : { description: 'No content' };
  }
  responses['4XX'] = { $ref: '#/components/responses/Error' };
  responses.default = { $ref: '#/components/responses/Error' };
  return {
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag ?? route.url.split('/')[2] ?? 'default'],
    operationId: operationId(route),
    'x-min-role': doc.auth,
    security: doc.auth === 'public' ? [] : [{ bearer: [] }],
    parameters: [...parameters(doc.params, 'path'), ...parameters(doc.query, 'query')],
    ...(doc.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(doc.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(routes: readonly ApiRoute[]): JsonSchema {
  const paths: Record<string, JsonSchema> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    (paths[path] as JsonSchema)[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: SERVER_VERSION,
      description:
        'Authenticate with `Authorization: Bearer <token>` (a session token from POST /api/auth/login, or an `sk_…` API key). ' +
        'Lists answer `{ items, total, limit, offset }`; errors answer `{ error: { code, message, details? } }`. ' +
        '`x-min-role` is the least role allowed (viewer < agent < admin < owner).',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: {
        Error: {
          description: 'Error',
          content: { 'application/json': { schema: jsonSchema(errorResponseSchema, 'output') } },
        },
      },
    },
    paths,
  };
}

export function registerOpenApi(app: FastifyInstance): void {
  const routes: ApiRoute[] = [];
  app.decorate('apiRoutes', routes);
  app.addHook('onRoute', (route) => {
    const doc = route.config?.doc;
    const methods = [route.method].flat();
    if (!doc || methods.includes('HEAD')) return;
    for (const method of methods) routes.push({ method, url: route.url, doc });
  });

  let document: JsonSchema | undefined;
  defineRoute(
    app,
    {
      method: 'GET',
      url: OPENAPI_JSON_URL,
      auth: 'public',
      summary: 'This OpenAPI 3.1 document',
      tag: 'meta',
      responses: { 200: z.record(z.string(), z.unknown()) },
    },
    async () => {
      document ??= buildOpenApiDocument(routes);
      return document;
    },
  );
}
