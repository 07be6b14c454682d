/**
 * Outgoing webhooks (docs/webhooks.md): list, create (secret shown once), change, remove, the
 * delivery log with every attempt, and a signed test event. Owners and admins only.
 */

import { webhooks } from '@switchboard/db';
import {
  createdWebhookSchema,
  createWebhookSchema,
  idParamsSchema,
  listResponse,
  updateWebhookSchema,
  webhookDeliverySchema,
  webhookSchema,
} from '@switchboard/shared';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { defineRoute } from '../http/route.ts';
import { toWebhookDeliveryJson, toWebhookJson } from '../mappers/webhooks.ts';
import { audit } from '../plugins/audit.ts';
import { queueWebhookEvent } from '../webhooks/emit.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  updateWebhook,
} from '../webhooks/manage.ts';

const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) });

export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/webhooks',
      auth: 'admin',
      summary: "The organization's webhooks (never their secrets)",
      responses: { 200: listResponse(webhookSchema) },
    },
    async (request) => {
      const rows = await ctx.db
        .select()
        .from(webhooks)
        .where(eq(webhooks.organizationId, request.auth.organizationId))
        .orderBy(asc(webhooks.createdAt));
      return { items: rows.map(toWebhookJson), total: rows.length, limit: rows.length, offset: 0 };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/webhooks',
      auth: 'admin',
      summary: 'Add a webhook; the answer carries its signing `secret`, shown this once',
      body: createWebhookSchema,
      responses: { 201: createdWebhookSchema },
    },
    async (request, { body }, reply) => {
      const { row, secret } = await createWebhook(ctx, request.auth.organizationId, body);
      await audit(request, 'webhook.create', { type: 'webhook', id: row.id }, { events: row.events });
      reply.code(201);
      return { ...toWebhookJson(row), secret };
    },
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/webhooks/:id',
      auth: 'admin',
      summary: 'Change a webhook (url, events, enabled, description); enabling clears `disabledReason`',
      params: idParamsSchema,
      body: updateWebhookSchema,
      responses: { 200: webhookSchema },
    },
    async (request, { params, body }) => {
      const row = await updateWebhook(ctx, request.auth.organizationId, params.id, body);
      await audit(request, 'webhook.update', { type: 'webhook', id: row.id }, { fields: Object.keys(body) });
      return toWebhookJson(row);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/webhooks/:id',
      auth: 'admin',
      summary: 'Remove a webhook and its delivery log',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      await deleteWebhook(ctx, request.auth.organizationId, params.id);
      await audit(request, 'webhook.delete', { type: 'webhook', id: params.id });
      reply.code(204);
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/webhooks/:id/deliveries',
      auth: 'admin',
      summary: 'The newest deliveries of a webhook, each with every attempt (status, error, duration)',
      params: idParamsSchema,
      query: deliveriesQuery,
      responses: { 200: listResponse(webhookDeliverySchema) },
    },
    async (request, { params, query }) => {
      const rows = await listDeliveries(ctx, request.auth.organizationId, params.id, query.limit);
      const items = rows.map((r) => toWebhookDeliveryJson(r.delivery, r.attempts));
      return { items, total: items.length, limit: query.limit, offset: 0 };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/webhooks/:id/test',
      auth: 'admin',
      summary:
        'Send a signed `webhook.test` event now (one attempt, also to a disabled webhook); see the deliveries',
      params: idParamsSchema,
      responses: { 202: z.object({ deliveryId: z.string() }) },
    },
    async (request, { params }, reply) => {
      const webhook = await getWebhook(ctx, request.auth.organizationId, params.id);
      const [deliveryId] = await queueWebhookEvent(
        ctx,
        request.auth.organizationId,
        'webhook.test',
        { message: 'A test event from Switchboard', webhookId: webhook.id },
        { webhookId: webhook.id, retryLimit: 0, includeDisabled: true },
      );
      reply.code(202);
      return { deliveryId: deliveryId! };
    },
  );
}
