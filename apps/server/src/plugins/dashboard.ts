/**
 * Serves the dashboard (apps/web/dist, built by `npm start`) at `/`. Client-side routes
 * (`/calls/…`) fall back to index.html; `/api/*` and `/health` never do. When the dashboard has
 * not been built, the API still runs and `/` says how to build it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DASHBOARD_DIR = join(import.meta.dirname, '..', '..', '..', 'web', 'dist');

export async function registerDashboard(app: FastifyInstance, dir: string = DASHBOARD_DIR): Promise<void> {
  if (!existsSync(join(dir, 'index.html'))) {
    app.get('/', { config: { auth: 'public' } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          'Switchboard API is running. The dashboard is not built: run `npm run build:web` (npm start does it).',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: 'index.html',
    // Hashed assets can be cached forever; index.html must always be revalidated.
    setHeaders: (res, path) => {
      res.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.decorate('dashboardEnabled', true);
}

/** True when a not-found GET should get the SPA's index.html instead of a JSON 404. */
export function wantsDashboard(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!request.server.hasDecorator('dashboardEnabled')) return false;
  const path = request.url.split('?')[0] ?? '';
  return !path.startsWith('/api/') && path !== '/api' && path !== '/health' && !/\.[a-z0-9]+$/i.test(path);
}

export function sendDashboard(reply: FastifyReply): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
}
