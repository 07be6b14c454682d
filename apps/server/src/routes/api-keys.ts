import {
  apiKeySchema,
  createApiKeySchema,
  createdApiKeySchema,
  idParamsSchema,
  listApiKeysQuerySchema,
  listResponse,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toApiKeyJson } from '../mappers/users.ts';
import { audit } from '../plugins/audit.ts';
import { createApiKey } from '../services/create-api-key.ts';
import { listApiKeys } from '../services/list-api-keys.ts';
import { revokeApiKey } from '../services/revoke-api-key.ts';

export async function apiKeyRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/api-keys',
      auth: 'admin',
      summary: 'List API keys (prefix only; the key itself is never shown again)',
      query: listApiKeysQuerySchema,
      responses: { 200: listResponse(apiKeySchema) },
    },
    async (request, { query }) => {
      const page = await listApiKeys(deps(request), {
        organizationId: request.auth.organizationId,
        ...query,
      });
      return { ...page, items: page.items.map(toApiKeyJson) };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/api-keys',
      auth: 'admin',
      summary: 'Create an API key; `key` is returned once, only its hash is stored',
      body: createApiKeySchema,
      responses: { 201: createdApiKeySchema },
    },
    async (request, { body }, reply) => {
      const { auth } = request;
      const { row, key } = await createApiKey(deps(request), {
        organizationId: auth.organizationId,
        actorRole: auth.role,
        actorUserId: auth.userId,
        ...body,
      });
      await audit(request, 'api_key.create', { type: 'api_key', id: row.id }, { role: row.role });
      reply.code(201);
      return { ...toApiKeyJson(row), key };
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/api-keys/:id',
      auth: 'admin',
      summary: 'Revoke an API key (it stops working at once)',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      const row = await revokeApiKey(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
      });
      await audit(request, 'api_key.revoke', { type: 'api_key', id: row.id });
      reply.code(204);
    },
  );
}
