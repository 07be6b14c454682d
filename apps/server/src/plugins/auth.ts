/**
 * Authentication and roles, secure by default. Every route under /api must declare
 * `config.auth` ('public' or the minimum role) or registration fails. For non-public routes an
 * onRequest hook (before the body is even parsed) resolves the bearer token (session JWT or
 * `sk_…` API key) into `request.auth` and checks the role: 401 without a valid token, 403 with
 * too small a role.
 */
import type { Role } from '@switchboard/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { type AuthContext, hasRole } from '../auth/roles.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { redeemTicket } from '../services/auth-tickets.ts';
import { authenticateBearer } from '../services/authenticate-bearer.ts';
import { API_REFERENCE_PREFIX } from './api-reference.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller. Set on every non-public route; reading it on a public route throws 401. */
    readonly auth: AuthContext;
  }
}

const authByRequest = new WeakMap<FastifyRequest, AuthContext>();

/** The caller of an authenticated request, or undefined (public route, or not yet authenticated). */
export function optionalAuth(request: FastifyRequest): AuthContext | undefined {
  return authByRequest.get(request);
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

const invalidToken = () => new AppError('unauthorized', 'Invalid or expired token');
const roleTooSmall = (minimum: Role) =>
  new AppError('forbidden', `This action needs the ${minimum} role or higher`);

/**
 * Authenticates a request by a single-use ticket (`?ticket=`, services/auth-tickets.ts) from an
 * onRequest hook of the routes that accept one (they run before `authenticate`, which then keeps
 * the ticket's caller). 401 for an unknown, used or expired ticket.
 */
export async function authenticateByTicket(
  request: FastifyRequest,
  reply: FastifyReply,
  ticket: string,
): Promise<void> {
  const { ctx } = request.server;
  const auth = await redeemTicket({ db: ctx.db, clock: ctx.clock }, ticket);
  if (!auth) {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    throw new AppError('unauthorized', 'Invalid, used or expired ticket');
  }
  authByRequest.set(request, auth);
}

/** onRequest hook: 401 unless the request carries a valid bearer token; sets `request.auth`. */
export const authenticate: onRequestHookHandler = async (request, reply) => {
  if (authByRequest.has(request)) return; // authenticated by a ticket
  const token = bearerToken(request);
  if (!token) {
    reply.header('www-authenticate', 'Bearer');
    throw new AppError('unauthorized', 'Missing bearer token (Authorization: Bearer <token>)');
  }
  const { ctx } = request.server;
  const auth = await authenticateBearer({ db: ctx.db, sessions: ctx.sessions }, token, ctx.clock());
  if (!auth) {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    throw invalidToken();
  }
  authByRequest.set(request, auth);
};

/** A hook answering 403 unless the authenticated caller has at least `minimum`. Runs after `authenticate`. */
export function requireRole(minimum: Role): onRequestHookHandler {
  return async (request) => {
    if (!hasRole(request.auth.role, minimum)) throw roleTooSmall(minimum);
  };
}

/**
 * The same rules for a caller that cannot go through the hooks (a WebSocket answers after the
 * upgrade, in its own messages): the caller of a bearer token or a single-use ticket, or the
 * `unauthorized` / `forbidden` error to report.
 */
export async function authorizeToken(
  ctx: Pick<AppContext, 'db' | 'sessions' | 'clock'>,
  credential: { token?: string | undefined; ticket?: string | undefined },
  minimum: Role,
): Promise<{ ok: true; auth: AuthContext } | { ok: false; error: AppError }> {
  const auth = credential.ticket
    ? await redeemTicket({ db: ctx.db, clock: ctx.clock }, credential.ticket)
    : credential.token
      ? await authenticateBearer({ db: ctx.db, sessions: ctx.sessions }, credential.token, ctx.clock())
      : null;
  if (!auth) return { ok: false, error: invalidToken() };
  if (!hasRole(auth.role, minimum)) return { ok: false, error: roleTooSmall(minimum) };
  return { ok: true, auth };
}

export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('auth', {
    getter(this: FastifyRequest) {
      const auth = authByRequest.get(this);
      if (!auth) throw new AppError('unauthorized', 'Not authenticated');
      return auth;
    },
  });

  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (auth === undefined) {
      // The API reference's own routes (a third-party plugin that cannot declare config.auth) are public.
      if (route.url.startsWith(`${API_REFERENCE_PREFIX}/`) || route.url === API_REFERENCE_PREFIX) return;
      if (route.url.startsWith('/api/') || route.url === '/api') {
        throw new Error(`${route.method} ${route.url}: every /api route must declare config.auth`);
      }
      return;
    }
    if (auth === 'public') return;
    const existing = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [authenticate, requireRole(auth), ...existing];
  });
}
