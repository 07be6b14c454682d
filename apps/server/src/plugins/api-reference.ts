/**
 * The interactive API reference at `/api/docs/` (Scalar's Fastify plugin, rendering the OpenAPI
 * document served at `/api/docs/openapi.json`). Everything it loads is served by this server
 * (`/api/docs/js/scalar.js` ships inside the npm package; fonts from Scalar's CDN are turned off),
 * so it works offline. The page's one inline script is allowed by its SHA-256 hash in a
 * Content-Security-Policy computed from the page itself; every other header stays helmet's.
 */
import { createHash } from 'node:crypto';
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';

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

export async function registerApiReference(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    let policy: string | undefined;
    scope.addHook('onSend', async (request, reply, payload) => {
      if (request.routeOptions.url !== `${API_REFERENCE_PREFIX}/` || typeof payload !== 'string')
        return payload;
      policy ??= referencePolicy(payload);
      reply.header('content-security-policy', policy);
      return payload;
    });
    await scope.register(scalar, {
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
  });
}
