import type { FastifyRequest } from 'fastify';
import type { ServiceDeps } from '../context.ts';

/** The service dependencies for one request: the app's database and clock, the request's logger. */
export function deps(request: FastifyRequest): ServiceDeps {
  const { ctx } = request.server;
  return { db: ctx.db, log: request.log, clock: ctx.clock };
}

/** Service dependencies plus what integrations need (credentials, config): calendars, texts. */
export function appDeps(request: FastifyRequest) {
  const { ctx } = request.server;
  return { ...deps(request), secrets: ctx.secrets, config: ctx.config };
}
