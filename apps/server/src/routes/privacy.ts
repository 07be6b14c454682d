import {
  eraseRequestSchema,
  eraseResultSchema,
  idParamsSchema,
  personExportSchema,
  retentionPreviewQuerySchema,
  retentionReportSchema,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { appDeps, deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { audit } from '../plugins/audit.ts';
import { enforceRetention } from '../privacy/enforce-retention.ts';
import { erasePerson } from '../privacy/erase-person.ts';
import { exportPerson } from '../privacy/export-person.ts';
import { phoneCountryOf } from '../services/get-business-profile.ts';
import { normalizePhone } from '../services/normalize-phone.ts';

export async function privacyRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/prospects/:id/export',
      auth: 'admin',
      summary: 'Everything held about a person (right of access), as one JSON document',
      description:
        'The prospect, every call with their number (transcript, events with extracted data, summary), ' +
        'texts, appointments, recording links and do-not-call status. Audited (`privacy.export`).',
      tag: 'privacy',
      params: idParamsSchema,
      responses: { 200: personExportSchema },
    },
    async (request, { params }, reply) => {
      const document = await exportPerson(deps(request), {
        organizationId: request.auth.organizationId,
        prospectId: params.id,
      });
      await audit(request, 'privacy.export', { type: 'prospect', id: params.id });
      reply.header('content-disposition', `attachment; filename="person-${params.id}.json"`);
      return document;
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/privacy/erase',
      auth: 'admin',
      summary: 'Erase a person (right to be forgotten) by phone and/or email across the organization',
      description:
        'Deletes their prospects, transcripts, texts, appointments (also in Google Calendar), do-not-call ' +
        'entry and recordings; their calls keep anonymous metrics only; other records that spell the number ' +
        'or email are scrubbed. 404 when nothing matches. Audited (`privacy.erase`) with counts only.',
      body: eraseRequestSchema,
      responses: { 200: eraseResultSchema },
      rateLimit: { max: 30, timeWindow: 60_000 },
    },
    async (request, { body }) => {
      const { organizationId } = request.auth;
      const phone = body.phone
        ? normalizePhone(body.phone, await phoneCountryOf(request.server.ctx.db, organizationId))
        : undefined;
      const erased = await erasePerson(appDeps(request), { organizationId, phone, email: body.email });
      await audit(request, 'privacy.erase', null, { by: Object.keys(body), ...erased });
      return { erased };
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/organization/retention',
      auth: 'admin',
      summary: 'Dry run of retention: what the daily job removes (optionally with unsaved day counts)',
      tag: 'organization',
      query: retentionPreviewQuerySchema,
      responses: { 200: retentionReportSchema },
    },
    async (request, { query }) =>
      enforceRetention(
        { ...deps(request), dataDir: request.server.ctx.config.dataDir },
        { organizationId: request.auth.organizationId, dryRun: true, ...query },
      ),
  );
}
