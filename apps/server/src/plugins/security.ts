/**
 * Security headers (helmet), CORS for the dashboard origin(s) and the rate limiter (opt-in per
 * route through `rateLimit` in defineRoute; counters in Redis when REDIS_URL is set). The request
 * body limit is a Fastify option, set in app.ts (BODY_LIMIT_BYTES).
 */
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { redisClientOf } from '../live/redis-bus.ts';

/** Vite's dev server, where the dashboard runs during development. */
const DEV_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

export function allowedOrigins(config: Pick<Config, 'env' | 'publicUrl' | 'corsOrigins'>): string[] {
  const origins = new Set(config.corsOrigins.map((url) => new URL(url).origin));
  if (config.publicUrl) origins.add(new URL(config.publicUrl).origin);
  if (config.env !== 'production') for (const origin of DEV_ORIGINS) origins.add(origin);
  return [...origins];
}

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    // Self-hosted installs are often reached over plain http on a LAN; forcing https for every
    // subresource there would break the dashboard. Behind https, HSTS still applies.
    // The call page plays the server's recording from a blob URL (fetched with the bearer token).
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, mediaSrc: ["'self'", 'blob:'] } },
  });
  const dashboardCors = {
    origin: allowedOrigins(app.ctx.config),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  };
  // The widget's public endpoints are called from customers' sites: any origin may ask (without
  // credentials), and each route checks the origin against the widget's own allowlist.
  const widgetCors = {
    origin: true,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Content-Type'],
    exposedHeaders: ['Retry-After'],
    credentials: false,
    maxAge: 600,
  };
  await app.register(cors, {
    delegator: (request, callback) =>
      callback(null, request.url?.startsWith('/api/widget/') ? widgetCors : dashboardCors),
  });
  // With REDIS_URL the counters live in Redis, so a limit holds across server processes; if Redis
  // is unreachable the limiter lets requests through rather than failing them.
  const redis = redisClientOf(app.ctx.live);
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'switchboard:rate-limit:', skipOnError: true } : {}),
    // preHandler: the body is parsed, so a route's keyGenerator can use it (login: IP + email).
    hook: 'preHandler',
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests; retry in ${context.after}`),
  });
}
