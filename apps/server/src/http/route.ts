/**
 * `defineRoute`: the one way API routes are declared. A route states its auth (minimum role
 * or 'public'), its zod schemas and a summary; the same declaration drives input validation,
 * role enforcement (plugins/auth.ts) and the OpenAPI document (plugins/openapi.ts), so the
 * docs cannot drift from the code. Outside production every response is also checked against
 * its declared schema, so tests catch a mapper that no longer matches the contract.
 */
import type { RateLimitOptions } from '@fastify/rate-limit';
import type { Role } from '@switchboard/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { parse } from '../validation.ts';
import { rejectUnsafeStrings } from './safe-strings.ts';

/** Who may call a route: anyone ('public': the handler checks whatever it needs) or at least this role. */
export type RouteAuth = 'public' | Role;

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteDoc {
  auth: RouteAuth;
  summary: string;
  description?: string;
  /** OpenAPI tag; defaults to the first path segment after /api. */
  tag?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** Status → body schema (null: no body, e.g. 204). */
  responses: Record<number, z.ZodType | null>;
}

export interface RouteSpec<B extends Schema, Q extends Schema, P extends Schema> extends RouteDoc {
  method: Extract<HTTPMethods, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'>;
  url: string;
  body?: B;
  query?: Q;
  params?: P;
  /** Overrides the app-wide body limit (bytes). */
  bodyLimit?: number;
  rateLimit?: RateLimitOptions;
  /** A path (`body.rows`) whose NUL bytes / unpaired surrogates the handler reports itself. */
  uncheckedStrings?: string;
  /**
   * Validates the body instead of a one-go `parse(body, …)`, e.g. in slices that yield to the
   * event loop (a 5,000-row import). Must accept, output and reject exactly what `body` does;
   * `body` still documents the route.
   */
  parseBody?: (raw: unknown) => Promise<Out<B>>;
}

export interface RouteInput<B extends Schema, Q extends Schema, P extends Schema> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
}

export type RouteHandler<B extends Schema, Q extends Schema, P extends Schema> = (
  request: FastifyRequest,
  input: RouteInput<B, Q, P>,
  reply: FastifyReply,
) => Promise<unknown>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every /api route (checked at registration by plugins/auth.ts). */
    auth?: RouteAuth;
    /** Present on routes declared with defineRoute; collected into the OpenAPI document. */
    doc?: RouteDoc;
  }
}

export function defineRoute<
  B extends Schema = undefined,
  Q extends Schema = undefined,
  P extends Schema = undefined,
>(app: FastifyInstance, spec: RouteSpec<B, Q, P>, handler: RouteHandler<B, Q, P>): void {
  const { method, url, bodyLimit, rateLimit, uncheckedStrings, parseBody, ...doc } = spec;
  const checkResponses = app.ctx.config.env !== 'production';
  app.route({
    method,
    url,
    ...(bodyLimit ? { bodyLimit } : {}),
    config: { auth: spec.auth, doc, ...(rateLimit ? { rateLimit } : {}) },
    handler: async (request, reply) => {
      // A route with a JSON body takes JSON only (a form post must not slip through formbody).
      if (spec.body && request.body !== undefined && !isJson(request.headers['content-type'])) {
        throw new AppError('unsupported_media_type', 'Unsupported Content-Type; send application/json');
      }
      // NUL bytes and unpaired surrogates cannot be stored (Postgres rejects them): 400 naming the field.
      rejectUnsafeStrings(
        { params: request.params, query: request.query, body: request.body },
        uncheckedStrings,
      );
      const input = {
        params: spec.params ? parse(spec.params, request.params) : undefined,
        query: spec.query ? parse(spec.query, request.query) : undefined,
        body: parseBody
          ? await parseBody(request.body)
          : spec.body
            ? parse(spec.body, request.body)
            : undefined,
      } as RouteInput<B, Q, P>;
      const result = await handler(request, input, reply);
      if (reply.sent || result === reply) return reply;
      if (reply.statusCode === 204) return reply.send();
      if (checkResponses) {
        const schema = spec.responses[reply.statusCode];
        if (schema) {
          const check = schema.safeParse(result);
          if (!check.success) {
            throw new Error(`response of ${method} ${url} does not match its schema: ${check.error.message}`);
          }
        }
      }
      return result;
    },
  });
}

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}
