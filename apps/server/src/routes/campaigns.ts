/** Outbound campaigns: CRUD, start/pause/resume/stop, audience, per-prospect state and the ledger (docs/campaigns.md). */
import {
  addCampaignProspectsResultSchema,
  addCampaignProspectsSchema,
  campaignPreviewSchema,
  campaignProspectSchema,
  campaignSchema,
  createCampaignSchema,
  idParamsSchema,
  ledgerEntrySchema,
  listCampaignProspectsQuerySchema,
  listResponse,
  paginationSchema,
  updateCampaignSchema,
} from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addCampaignProspects, listCampaignProspects, listLedger } from '../campaigns/audience.ts';
import {
  type CampaignAction,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  transitionCampaign,
  updateCampaign,
} from '../campaigns/manage.ts';
import { previewCampaign } from '../campaigns/preview.ts';
import { type CampaignRow, toCampaignJson } from '../campaigns/settings.ts';
import { campaignStats } from '../campaigns/stats.ts';
import { wakeDialer } from '../campaigns/tick.ts';
import { appDeps, deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { audit } from '../plugins/audit.ts';

const actionParams = z.strictObject({
  id: idParamsSchema.shape.id,
  action: z.enum(['start', 'pause', 'resume', 'stop']),
});

async function toJson(request: FastifyRequest, row: CampaignRow) {
  return toCampaignJson(row, await campaignStats(request.server.ctx.db, row.organizationId, row.id));
}

export async function campaignRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/campaigns',
      auth: 'viewer',
      summary: 'Campaigns, newest first, with their stats',
      query: paginationSchema,
      responses: { 200: listResponse(campaignSchema) },
    },
    async (request, { query }) => {
      const page = await listCampaigns(deps(request), {
        organizationId: request.auth.organizationId,
        ...query,
      });
      const items = await Promise.all(page.items.map((row) => toJson(request, row)));
      return { items, total: page.total, limit: query.limit, offset: query.offset };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/campaigns',
      auth: 'admin',
      summary: 'Create a campaign (draft)',
      description:
        'Settings not given take their defaults; `defaultTimezone` defaults to the organization time zone. ' +
        '400 naming the field for a schedule whose end is not after its start, unknown weekdays or time ' +
        'zones, `maxConcurrent` < 1, or an agent of another organization.',
      body: createCampaignSchema,
      responses: { 201: campaignSchema },
    },
    async (request, { body }, reply) => {
      const row = await createCampaign(deps(request), {
        organizationId: request.auth.organizationId,
        data: body,
      });
      await audit(request, 'campaign.create', { type: 'campaign', id: row.id });
      reply.code(201);
      return toJson(request, row);
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/campaigns/:id',
      auth: 'viewer',
      summary: 'One campaign with its stats',
      params: idParamsSchema,
      responses: { 200: campaignSchema },
    },
    async (request, { params }) =>
      toJson(
        request,
        await getCampaign(deps(request), { organizationId: request.auth.organizationId, id: params.id }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/campaigns/:id',
      auth: 'admin',
      summary: 'Change a campaign (not once completed or stopped)',
      params: idParamsSchema,
      body: updateCampaignSchema,
      responses: { 200: campaignSchema },
    },
    async (request, { params, body }) => {
      const row = await updateCampaign(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
        data: body,
      });
      await audit(request, 'campaign.update', { type: 'campaign', id: row.id });
      return toJson(request, row);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/campaigns/:id',
      auth: 'admin',
      summary: 'Delete a campaign (409 while running)',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      await deleteCampaign(deps(request), { organizationId: request.auth.organizationId, id: params.id });
      await audit(request, 'campaign.delete', { type: 'campaign', id: params.id });
      reply.code(204);
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/campaigns/:id/:action',
      auth: 'agent',
      summary: 'Start, pause, resume or stop a campaign',
      description:
        '`start` (draft only) needs an audience (400 on `prospects`), an agent and Twilio credentials (400 on ' +
        '`twilio`). 409 when the transition does not apply to the current status.',
      params: actionParams,
      responses: { 200: campaignSchema },
    },
    async (request, { params }) => {
      const row = await transitionCampaign(appDeps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
        action: params.action as CampaignAction,
      });
      await audit(request, `campaign.${params.action}`, { type: 'campaign', id: row.id });
      if (row.status === 'running') await wakeDialer(request.server.ctx);
      return toJson(request, row);
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/campaigns/:id/prospects',
      auth: 'agent',
      summary: 'Add prospects to the audience: `{prospectIds}` or `{filter: {status, source, search}}`',
      params: idParamsSchema,
      body: addCampaignProspectsSchema,
      responses: { 200: addCampaignProspectsResultSchema },
    },
    async (request, { params, body }) =>
      addCampaignProspects(deps(request), {
        organizationId: request.auth.organizationId,
        campaignId: params.id,
        body,
      }),
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/campaigns/:id/prospects',
      auth: 'viewer',
      summary: "The audience with each prospect's dial state",
      params: idParamsSchema,
      query: listCampaignProspectsQuerySchema,
      responses: { 200: listResponse(campaignProspectSchema) },
    },
    async (request, { params, query }) => {
      const page = await listCampaignProspects(deps(request), {
        organizationId: request.auth.organizationId,
        campaignId: params.id,
        ...query,
      });
      return { ...page, limit: query.limit, offset: query.offset };
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/campaigns/:id/ledger',
      auth: 'viewer',
      summary: 'The compliance ledger: every dial/skip/defer decision with its rule, newest first',
      params: idParamsSchema,
      query: paginationSchema,
      responses: { 200: listResponse(ledgerEntrySchema) },
    },
    async (request, { params, query }) => {
      const page = await listLedger(deps(request), {
        organizationId: request.auth.organizationId,
        campaignId: params.id,
        ...query,
      });
      return { ...page, limit: query.limit, offset: query.offset };
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/campaigns/:id/preview',
      auth: 'viewer',
      summary:
        'Who can be called now: the compliance rules applied to waiting prospects (nothing is dialled)',
      params: idParamsSchema,
      responses: { 200: campaignPreviewSchema },
    },
    async (request, { params }) =>
      previewCampaign(deps(request), { organizationId: request.auth.organizationId, campaignId: params.id }),
  );
}
