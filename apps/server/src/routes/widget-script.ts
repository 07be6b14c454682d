/**
 * The widget script (packages/widget), built once per process on first request and kept in
 * memory: `GET /widget.js` (the embed snippet's URL: cached 5 minutes, revalidated by ETag) and
 * `GET /widget.<hash>.js` (content-hashed: cached for a year). Served with
 * `Cross-Origin-Resource-Policy: cross-origin` so customers' pages may load it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

type Built = { code: string; hash: string };
let built: Promise<Built> | null = null;

/** The bundle (built on first use; a failed build is retried on the next request). */
export function widgetBundle(): Promise<Built> {
  built ??= import('@switchboard/widget/build')
    .then(({ buildWidget }) => buildWidget())
    .catch((error: unknown) => {
      built = null;
      throw error;
    });
  return built;
}

function sendScript(reply: FastifyReply, bundle: Built, cacheControl: string): FastifyReply {
  return reply
    .type('text/javascript; charset=utf-8')
    .header('cache-control', cacheControl)
    .header('etag', `"${bundle.hash}"`)
    .header('cross-origin-resource-policy', 'cross-origin')
    .send(bundle.code);
}

export async function widgetScriptRoutes(app: FastifyInstance): Promise<void> {
  app.get('/widget.js', { config: { auth: 'public' } }, async (request, reply) => {
    const bundle = await widgetBundle();
    if (request.headers['if-none-match'] === `"${bundle.hash}"`) return reply.code(304).send();
    return sendScript(reply, bundle, 'public, max-age=300');
  });
  app.get<{ Params: { hash: string } }>(
    '/widget.:hash.js',
    { config: { auth: 'public' } },
    async (request, reply) => {
      const bundle = await widgetBundle();
      if (request.params.hash !== bundle.hash) {
        return reply.code(404).type('text/plain').send('Unknown widget version: load /widget.js');
      }
      return sendScript(reply, bundle, 'public, max-age=31536000, immutable');
    },
  );
}
