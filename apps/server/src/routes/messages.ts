import { listMessagesQuerySchema, listResponse, messageSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toMessageJson } from '../mappers/messages.ts';
import { listMessages } from '../services/list-messages.ts';

export async function messageRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/messages',
      auth: 'viewer',
      summary: 'Text messages, newest first (filters: prospectId, callId)',
      query: listMessagesQuerySchema,
      responses: { 200: listResponse(messageSchema) },
    },
    async (request, { query }) => {
      const page = await listMessages(deps(request), {
        organizationId: request.auth.organizationId,
        ...query,
      });
      return { ...page, items: page.items.map(toMessageJson) };
    },
  );
}
