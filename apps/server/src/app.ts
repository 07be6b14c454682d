/**
 * The composition root: buildApp(ctx) wires external plugins (helmet, CORS, rate limit) → app
 * plugins (errors, auth, OpenAPI registry) → routes. Nothing here reads the environment or opens
 * connections; main.ts builds the AppContext, tests build one against a test database.
 */
import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { TrustProxy } from './config.ts';
import type { AppContext } from './context.ts';
import { requestLogLine } from './logging.ts';
import { registerApiReference } from './plugins/api-reference.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerDashboard } from './plugins/dashboard.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerSecurity } from './plugins/security.ts';
import { registerRoutes } from './routes/index.ts';

/** Largest accepted request body (1 MiB); routes may raise it (prospect import). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const REQUEST_ID = /^[\w.-]{1,64}$/;

export interface BuildAppOptions {
  /** Built dashboard to serve at `/` (default apps/web/dist); null serves none. */
  dashboardDir?: string | null;
}

/** Config's TRUST_PROXY as Fastify takes it (a hop count becomes "trust the first n hops"). */
function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true },
    // Keep a caller's request id (load balancer, client) when it is sane; otherwise make one.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    return503OnClosing: true,
    // One line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Behind a reverse proxy (TRUST_PROXY), request.ip is the client's address, not the proxy's.
    trustProxy: fastifyTrustProxy(ctx.config.trustProxy),
  });
  app.decorate('ctx', ctx);
  app.addHook('onResponse', async (request, reply) => {
    const line = requestLogLine(request, reply.statusCode, reply.elapsedTime, ctx.config.env);
    request.log[line.level](line.fields, line.message);
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerErrorHandling(app);
  await registerSecurity(app);
  // Twilio webhooks are form-encoded; media streams and browser calls are WebSockets.
  await app.register(formbody);
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  registerAuth(app);
  registerOpenApi(app);
  await registerApiReference(app);
  await registerRoutes(app);
  if (options.dashboardDir !== null) await registerDashboard(app, options.dashboardDir);
  return app;
}
