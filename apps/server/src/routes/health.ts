import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { callWritesDropped } from '../call-record/write-batcher.ts';
import { defineRoute } from '../http/route.ts';
import { SERVER_VERSION } from '../version.ts';

const PING_TIMEOUT_MS = 2_000;

export const healthSchema = z.object({
  /** `draining`: shutting down (SIGTERM); live calls finish, new ones go elsewhere (503). */
  status: z.enum(['ok', 'error', 'draining']),
  database: z.enum(['ok', 'unreachable']),
  version: z.string(),
  /**
   * Transcript segments and timeline events this process could not write since it started (its
   * bounded retry buffer overflowed, or every retry failed; call-record/write-batcher.ts).
   */
  callWritesLost: z.number().int(),
  /** Which server process answered, when several share the port (WORKERS): its cluster worker id. */
  worker: z.number().int().optional(),
});

async function pingWithin(ping: () => Promise<void>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([ping().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/health',
      auth: 'public',
      summary:
        'Liveness and database reachability (503 when the database does not answer, or while draining)',
      tag: 'meta',
      responses: { 200: healthSchema, 503: healthSchema },
    },
    async (request, _input, reply) => {
      const ok = await pingWithin(() => app.ctx.database.ping(), PING_TIMEOUT_MS);
      if (!ok) {
        request.log.warn('health check: database unreachable');
        reply.code(503);
      }
      const draining = app.ctx.lifecycle.draining;
      if (draining) reply.code(503);
      const status = !ok ? 'error' : draining ? 'draining' : 'ok';
      const worker = cluster.isWorker ? cluster.worker?.id : undefined;
      return {
        status,
        database: ok ? 'ok' : 'unreachable',
        version: SERVER_VERSION,
        callWritesLost: callWritesDropped(),
        ...(worker ? { worker } : {}),
      };
    },
  );
}
