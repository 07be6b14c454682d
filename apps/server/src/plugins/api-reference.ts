/**
 * The interactive API reference at `/api/docs/` (Scalar's Fastify plugin, rendering the OpenAPI
 * document served at `/api/docs/openapi.json`). Everything it loads is served by this server
 * (`/api/docs/js/scalar.js` ships inside the npm package; fonts from Scalar's CDN are turned off),
 * so it works offline. The page's one inline script is allowed by its SHA-256 hash in a
 * Content-Security-Policy computed from the page itself; every other header stays helmet's.
 *
 * Scalar's module (4.3 MB: its browser bundle is a string in it) costs ≈ 15 MiB of the idle
 * server's memory, so it is imported on the first request for the reference: its plugin runs in
 * a Fastify app of its own, built then, and these routes hand it the request (`inject`).
 */
import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

export const API_REFERENCE_PREFIX = '/api/docs';
export const OPENAPI_JSON_URL = `${API_REFERENCE_PREFIX}/openapi.json`;

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g;

/** The page's policy: helmet's defaults with the inline scripts' hashes added to script-src. */
export function referencePolicy(html: string): string {
  const hashes = [...html.matchAll(INLINE_SCRIPT)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
  ].join(';');
}

/** Scalar's plugin in an app of its own (built on the first request for the reference). */
async function buildReference(): Promise<FastifyInstance> {
  const { default: scalar } = await import('@scalar/fastify-api-reference');
  const reference = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  await reference.register(scalar, {
    routePrefix: API_REFERENCE_PREFIX,
    configuration: {
      url: OPENAPI_JSON_URL,
      pageTitle: 'Switchboard API reference',
      withDefaultFonts: false,
      hideClientButton: true,
      telemetry: false,
      // Features that talk to Scalar's hosted services (AI agent, MCP generator, deploy/share toolbar).
      showDeveloperTools: 'never',
      agent: { disabled: true },
      mcp: { disabled: true },
    },
  });
  await reference.ready();
  return reference;
}

let reference: Promise<FastifyInstance> | undefined;

/** Whether Scalar's module has been asked for (tests). */
export function apiReferenceLoaded(): boolean {
  return reference !== undefined;
}

const FORWARDED_HEADERS = ['content-type', 'location', 'content-disposition'];

export async function registerApiReference(app: FastifyInstance): Promise<void> {
  let policy: string | undefined;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    reference ??= buildReference().catch((error: unknown) => {
      reference = undefined; // the next request tries again
      throw error;
    });
    const res = await (await reference).inject({ method: 'GET', url: request.url });
    for (const name of FORWARDED_HEADERS) {
      const value = res.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/html')) {
      policy ??= referencePolicy(res.body);
      reply.header('content-security-policy', policy);
    }
    return reply.code(res.statusCode).send(res.rawPayload);
  };
  // The app ignores trailing slashes: `/api/docs` reaches the page's route, which redirects it.
  // Not in the OpenAPI document (no `config.doc`, as Scalar's own routes).
  app.get(`${API_REFERENCE_PREFIX}/`, forward);
  app.get(`${API_REFERENCE_PREFIX}/js/scalar.js`, forward);
}
