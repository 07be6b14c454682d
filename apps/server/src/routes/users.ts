import {
  createUserSchema,
  idParamsSchema,
  listResponse,
  listUsersQuerySchema,
  updateUserSchema,
  userSchema,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toUserJson } from '../mappers/users.ts';
import { audit } from '../plugins/audit.ts';
import { createUser } from '../services/create-user.ts';
import { deleteUser } from '../services/delete-user.ts';
import { listUsers } from '../services/list-users.ts';
import { updateUser } from '../services/update-user.ts';

export async function userRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/users',
      auth: 'admin',
      summary: 'List the organization’s users',
      query: listUsersQuerySchema,
      responses: { 200: listResponse(userSchema) },
    },
    async (request, { query }) => {
      const page = await listUsers(deps(request), { organizationId: request.auth.organizationId, ...query });
      return { ...page, items: page.items.map(toUserJson) };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/users',
      auth: 'admin',
      summary: 'Add a user (only an owner may add owners)',
      body: createUserSchema,
      responses: { 201: userSchema },
    },
    async (request, { body }, reply) => {
      const { auth } = request;
      const user = await createUser(deps(request), {
        organizationId: auth.organizationId,
        actorRole: auth.role,
        ...body,
      });
      await audit(request, 'user.create', { type: 'user', id: user.id }, { role: user.role });
      reply.code(201);
      return toUserJson(user);
    },
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/users/:id',
      auth: 'admin',
      summary: 'Rename, change role, reset password, disable or enable a user',
      description:
        'Owners are managed by owners only; the last active owner cannot be demoted or disabled (409).',
      params: idParamsSchema,
      body: updateUserSchema,
      responses: { 200: userSchema },
    },
    async (request, { params, body }) => {
      const { auth } = request;
      const user = await updateUser(deps(request), {
        organizationId: auth.organizationId,
        actorRole: auth.role,
        id: params.id,
        patch: body,
      });
      const changed = Object.keys(body);
      await audit(request, 'user.update', { type: 'user', id: user.id }, { changed, role: body.role });
      return toUserJson(user);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/users/:id',
      auth: 'admin',
      summary: 'Remove a user (not yourself, not the last owner)',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      const { auth } = request;
      const user = await deleteUser(deps(request), {
        organizationId: auth.organizationId,
        actorRole: auth.role,
        actorUserId: auth.userId,
        id: params.id,
      });
      await audit(request, 'user.delete', { type: 'user', id: user.id }, { role: user.role });
      reply.code(204);
    },
  );
}
