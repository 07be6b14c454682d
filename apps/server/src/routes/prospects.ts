import {
  createProspectSchema,
  idParamsSchema,
  importProspectsSchema,
  importQuerySchema,
  importResultSchema,
  listProspectsQuerySchema,
  listResponse,
  prospectSchema,
  updateProspectSchema,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toProspectJson } from '../mappers/prospects.ts';
import { audit } from '../plugins/audit.ts';
import { createProspect } from '../services/create-prospect.ts';
import { deleteProspect } from '../services/delete-prospect.ts';
import { getProspect } from '../services/get-prospect.ts';
import { importProspects } from '../services/import-prospects.ts';
import { listProspects } from '../services/list-prospects.ts';
import { parseImportBody } from '../services/prospect-import-body.ts';
import { updateProspect } from '../services/update-prospect.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';

/** A 5000-row import can exceed the app-wide 1 MiB body limit. */
const IMPORT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

export async function prospectRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/prospects',
      auth: 'viewer',
      summary: 'List prospects: search `q` (company, contact, phone, email), filter, sort, paginate',
      query: listProspectsQuerySchema,
      responses: { 200: listResponse(prospectSchema) },
    },
    async (request, { query }) => {
      const page = await listProspects(deps(request), {
        organizationId: request.auth.organizationId,
        ...query,
      });
      return { ...page, items: page.items.map(toProspectJson) };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/prospects',
      auth: 'agent',
      summary: 'Create a prospect (409 when the phone number already exists; details.existingId names it)',
      body: createProspectSchema,
      responses: { 201: prospectSchema },
    },
    async (request, { body }, reply) => {
      const prospect = await createProspect(deps(request), {
        organizationId: request.auth.organizationId,
        data: body,
      });
      await audit(request, 'prospect.create', { type: 'prospect', id: prospect.id });
      await emitWebhookEvent(request.server.ctx, request.auth.organizationId, 'lead.created', {
        prospect: toProspectJson(prospect),
        callId: null,
      });
      reply.code(201);
      return toProspectJson(prospect);
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/prospects/import',
      auth: 'agent',
      summary: 'Bulk import rows parsed from a CSV; per-row errors, duplicates skipped or updated',
      description:
        'Headers are matched case-insensitively with common aliases (name/contact_name → contact, ' +
        'phone_number/mobile → phone, organization/company_name → company, first_name + last_name …). ' +
        'Error `row` numbers are 1-based positions in `rows`. `?dryRun=true` validates and predicts ' +
        '(counts, errors, `duplicates`: rows whose phone the organization has or an earlier row had) ' +
        'without writing.',
      query: importQuerySchema,
      body: importProspectsSchema,
      bodyLimit: IMPORT_BODY_LIMIT_BYTES,
      // A cell with a NUL byte fails its row only (importProspects), not the whole import.
      uncheckedStrings: 'body.rows',
      // Validated in slices, so 5,000 rows never hold the event loop live calls' audio runs on.
      parseBody: parseImportBody,
      responses: { 200: importResultSchema },
    },
    async (request, { body, query }) => {
      const result = await importProspects(deps(request), {
        organizationId: request.auth.organizationId,
        ...body,
        dryRun: query.dryRun,
      });
      if (query.dryRun) return result;
      await audit(request, 'prospect.import', null, {
        rows: body.rows.length,
        created: result.created,
        updated: result.updated,
        skipped: result.skipped,
        errors: result.errors.length,
      });
      return result;
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/prospects/:id',
      auth: 'viewer',
      summary: 'One prospect',
      params: idParamsSchema,
      responses: { 200: prospectSchema },
    },
    async (request, { params }) =>
      toProspectJson(
        await getProspect(deps(request), { organizationId: request.auth.organizationId, id: params.id }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/prospects/:id',
      auth: 'agent',
      summary: 'Update a prospect (partial)',
      params: idParamsSchema,
      body: updateProspectSchema,
      responses: { 200: prospectSchema },
    },
    async (request, { params, body }) => {
      const prospect = await updateProspect(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
        patch: body,
      });
      await audit(
        request,
        'prospect.update',
        { type: 'prospect', id: prospect.id },
        { changed: Object.keys(body) },
      );
      return toProspectJson(prospect);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/prospects/:id',
      auth: 'agent',
      summary: 'Delete a prospect (its calls and appointments remain)',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      const prospect = await deleteProspect(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
      });
      await audit(request, 'prospect.delete', { type: 'prospect', id: prospect.id });
      reply.code(204);
    },
  );
}
