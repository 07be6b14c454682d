/** The organization's do-not-call list: GET/POST /api/do-not-call, DELETE /api/do-not-call/:id, CSV import. */
import {
  createDoNotCallSchema,
  doNotCallEntrySchema,
  idParamsSchema,
  importDoNotCallSchema,
  listDoNotCallQuerySchema,
  listResponse,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { audit } from '../plugins/audit.ts';
import {
  addDoNotCallEntry,
  deleteDoNotCallEntry,
  importDoNotCall,
  listDoNotCall,
  toDoNotCallJson,
} from '../services/manage-do-not-call.ts';

const importResultSchema = z.object({
  added: z.number().int(),
  existing: z.number().int(),
  invalid: z.array(z.object({ row: z.number().int(), value: z.string() })),
});

export async function doNotCallRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/do-not-call',
      auth: 'viewer',
      summary: 'The do-not-call list, newest first (`q`: digits of the number)',
      query: listDoNotCallQuerySchema,
      responses: { 200: listResponse(doNotCallEntrySchema) },
    },
    async (request, { query }) => {
      const page = await listDoNotCall(deps(request), {
        organizationId: request.auth.organizationId,
        ...query,
      });
      return {
        items: page.items.map(toDoNotCallJson),
        total: page.total,
        limit: query.limit,
        offset: query.offset,
      };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/do-not-call',
      auth: 'agent',
      summary: 'Add a number (source `manual` from the dashboard, `api` with an API key)',
      description: '201 with the new entry; 200 with the existing one when the number is listed already.',
      body: createDoNotCallSchema,
      responses: { 200: doNotCallEntrySchema, 201: doNotCallEntrySchema },
    },
    async (request, { body }, reply) => {
      const { row, created } = await addDoNotCallEntry(deps(request), {
        organizationId: request.auth.organizationId,
        phone: body.phone,
        reason: body.reason,
        source: request.auth.apiKeyId ? 'api' : 'manual',
      });
      if (created) await audit(request, 'do_not_call.add', { type: 'do_not_call', id: row.id });
      reply.code(created ? 201 : 200);
      return toDoNotCallJson(row);
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/do-not-call/import',
      auth: 'admin',
      summary: 'Import numbers from CSV text (`{csv}`: a phone column and an optional reason column)',
      body: importDoNotCallSchema,
      responses: { 200: importResultSchema },
      bodyLimit: 6 * 1024 * 1024,
    },
    async (request, { body }) => {
      const result = await importDoNotCall(deps(request), {
        organizationId: request.auth.organizationId,
        csv: body.csv,
      });
      await audit(request, 'do_not_call.import', null, { added: result.added });
      return result;
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/do-not-call/:id',
      auth: 'admin',
      summary: 'Remove a number from the list',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      await deleteDoNotCallEntry(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
      });
      await audit(request, 'do_not_call.remove', { type: 'do_not_call', id: params.id });
      reply.code(204);
    },
  );
}
