/**
 * The signed-in user's own account (password change, profile) and an admin's password reset
 * of a team member. Sign-in itself lives in auth.ts.
 */
import {
  changePasswordSchema,
  idParamsSchema,
  resetPasswordResponseSchema,
  updateProfileSchema,
  userSchema,
} from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toUserJson } from '../mappers/users.ts';
import { audit } from '../plugins/audit.ts';
import { changeOwnPassword, resetPassword, updateProfile } from '../services/change-password.ts';

/** Password changes guess at the current password: keep them as slow as sign-in. */
const PASSWORD_CHANGES_PER_MINUTE = 10;

function sessionUser(request: FastifyRequest): string {
  const { userId } = request.auth;
  if (!userId)
    throw new AppError('forbidden', 'Sign in as a user for this; an API key has no password or profile');
  return userId;
}

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/auth/password',
      auth: 'viewer',
      summary: 'Change your own password (the current one is required)',
      description:
        '400 validation_failed when the current password is wrong or the new one equals it. ' +
        'Clears `mustChangePassword`. Every other session of the user is signed out; this one stays. ' +
        'Session tokens only (403 for an API key).',
      body: changePasswordSchema,
      responses: { 200: userSchema },
      rateLimit: { max: PASSWORD_CHANGES_PER_MINUTE, timeWindow: 60_000 },
    },
    async (request, { body }) => {
      const userId = sessionUser(request);
      const user = await changeOwnPassword(deps(request), {
        organizationId: request.auth.organizationId,
        userId,
        sessionId: request.auth.session?.sessionId,
        ...body,
      });
      await audit(request, 'user.password_change', { type: 'user', id: user.id });
      return toUserJson(user);
    },
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/auth/me',
      auth: 'viewer',
      summary: 'Update your own profile (display name)',
      body: updateProfileSchema,
      responses: { 200: userSchema },
    },
    async (request, { body }) => {
      const user = await updateProfile(deps(request), {
        organizationId: request.auth.organizationId,
        userId: sessionUser(request),
        name: body.name,
      });
      return toUserJson(user);
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/users/:id/reset-password',
      auth: 'admin',
      summary: 'Reset a member’s password to a one-time password (returned once)',
      description:
        'The member must choose a new password at their next sign-in. Only owners reset owners (403).',
      params: idParamsSchema,
      responses: { 200: resetPasswordResponseSchema },
    },
    async (request, { params }) => {
      const { auth } = request;
      const result = await resetPassword(deps(request), {
        organizationId: auth.organizationId,
        actorRole: auth.role,
        id: params.id,
      });
      await audit(request, 'user.password_reset', { type: 'user', id: result.user.id });
      return { user: toUserJson(result.user), password: result.password };
    },
  );
}
