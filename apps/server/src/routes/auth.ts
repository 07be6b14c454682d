import {
  loginRequestSchema,
  loginResponseSchema,
  meResponseSchema,
  registerRequestSchema,
} from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LoginGuard, LoginRefused } from '../auth/login-guard.ts';
import { AppError } from '../errors.ts';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { redisClientOf } from '../live/redis-bus.ts';
import { toOrganizationJson, toUserJson, type UserRow } from '../mappers/users.ts';
import { audit } from '../plugins/audit.ts';
import { getPrincipal } from '../services/get-principal.ts';
import { loginUser } from '../services/login-user.ts';
import { registerOrganization } from '../services/register-organization.ts';

/** Login attempts allowed per client IP and email per minute. */
export const LOGIN_ATTEMPTS_PER_MINUTE = 10;
/** Sign-ups allowed per client IP per hour. */
export const SIGNUPS_PER_HOUR = 5;

function loginRateKey(request: FastifyRequest): string {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  const normalized = typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '';
  return `${request.ip}|${normalized}`;
}

/** The answer to a sign-in or sign-up: the session token, the user and when the token expires. */
function sessionJson(session: { token: string; user: UserRow; expiresAt: Date }) {
  return { token: session.token, user: toUserJson(session.user), expiresAt: session.expiresAt.toISOString() };
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  const { limits } = app.ctx.config;
  const guard = new LoginGuard(limits.login, {
    redis: redisClientOf(app.ctx.live),
    prefix: `${limits.redisKeyPrefix}login-failures:`,
    log: app.ctx.log,
  });
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/auth/login',
      auth: 'public',
      summary: 'Sign in with email and password; returns a session token (12 h)',
      description:
        `Rate limited to ${LOGIN_ATTEMPTS_PER_MINUTE} attempts per minute per IP and email, and by failed ` +
        'attempts per IP and per account (LOGIN_FAILURES_PER_IP, LOGIN_FAILURES_PER_ACCOUNT): 429 with ' +
        'Retry-After, before any password check.',
      body: loginRequestSchema,
      responses: { 200: loginResponseSchema },
      rateLimit: { max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000, keyGenerator: loginRateKey },
    },
    async (request, { body }, reply) => {
      const { ctx } = app;
      const result = await guard
        .attempt(request.ip, body.email, () =>
          loginUser({ db: ctx.db, sessions: ctx.sessions }, body, ctx.clock()),
        )
        .catch((error: unknown) => {
          if (error instanceof LoginRefused) reply.header('Retry-After', String(error.retryAfterS));
          throw error;
        });
      if (!result.ok) {
        if (result.user) {
          const actor = { organizationId: result.user.organizationId, userId: result.user.id };
          await audit(request, 'auth.login_failed', { type: 'user', id: result.user.id }, {}, actor);
        }
        throw new AppError('invalid_credentials', 'Invalid email or password');
      }
      const { user } = result;
      await audit(
        request,
        'auth.login',
        { type: 'user', id: user.id },
        {},
        {
          organizationId: user.organizationId,
          userId: user.id,
        },
      );
      return sessionJson(result);
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/auth/me',
      auth: 'viewer',
      summary: 'Who the bearer token belongs to: user (null for an API key), organization and role',
      responses: { 200: meResponseSchema },
    },
    async (request) => {
      const { organization, user } = await getPrincipal(deps(request), request.auth);
      return {
        user: user ? toUserJson(user) : null,
        organization: toOrganizationJson(organization),
        role: request.auth.role,
        via: request.auth.apiKeyId ? 'api_key' : 'session',
      };
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/auth/register',
      auth: 'public',
      summary: 'Whether sign-up is open on this server (ALLOW_SIGNUP)',
      responses: { 200: z.object({ enabled: z.boolean() }) },
    },
    async () => ({ enabled: app.ctx.config.allowSignup }),
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/auth/register',
      auth: 'public',
      summary: 'Sign up: a new organization with its owner and default agent (ALLOW_SIGNUP=true only)',
      description:
        `403 when sign-up is off (the default). Rate limited to ${SIGNUPS_PER_HOUR} per hour per IP. ` +
        'The new organization uses provider credentials from the environment only with SHARE_ENV_CREDENTIALS=true.',
      body: registerRequestSchema,
      responses: { 201: loginResponseSchema },
      rateLimit: { max: SIGNUPS_PER_HOUR, timeWindow: 3_600_000 },
    },
    async (request, { body }, reply) => {
      const { ctx } = app;
      if (!ctx.config.allowSignup) {
        throw new AppError(
          'forbidden',
          'Sign-up is turned off on this server. Ask its operator for an account (they can set ALLOW_SIGNUP=true).',
          { reason: 'signup_disabled' },
        );
      }
      const result = await registerOrganization({ ...deps(request), sessions: ctx.sessions }, body);
      const { user } = result;
      await audit(
        request,
        'auth.register',
        { type: 'user', id: user.id },
        {},
        {
          organizationId: user.organizationId,
          userId: user.id,
        },
      );
      reply.code(201);
      return sessionJson(result);
    },
  );
}
