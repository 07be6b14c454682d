import {
  callDetailSchema,
  callSchema,
  idParamsSchema,
  listCallsQuerySchema,
  listResponse,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toCallDetailJson, toCallJson } from '../mappers/calls.ts';
import { getCallDetail } from '../services/get-call.ts';
import { listCalls } from '../services/list-calls.ts';

export async function callRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/calls',
      auth: 'viewer',
      summary: 'The call log, newest first (filters: direction, status, agentId, prospectId, from/to, live)',
      query: listCallsQuerySchema,
      responses: { 200: listResponse(callSchema) },
    },
    async (request, { query }) => {
      const page = await listCalls(deps(request), { organizationId: request.auth.organizationId, ...query });
      return { ...page, items: page.items.map(toCallJson) };
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/calls/:id',
      auth: 'viewer',
      summary: 'One call with its transcript and events in order',
      params: idParamsSchema,
      responses: { 200: callDetailSchema },
    },
    async (request, { params }) => {
      const detail = await getCallDetail(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
      });
      return toCallDetailJson(detail.call, detail.transcript, detail.events);
    },
  );
}
