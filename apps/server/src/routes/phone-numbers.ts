import {
  createPhoneNumberSchema,
  idParamsSchema,
  listPhoneNumbersQuerySchema,
  listResponse,
  phoneNumberSchema,
  updatePhoneNumberSchema,
} from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toPhoneNumberJson } from '../mappers/phone-numbers.ts';
import { audit } from '../plugins/audit.ts';
import { createPhoneNumber } from '../services/create-phone-number.ts';
import { deletePhoneNumber } from '../services/delete-phone-number.ts';
import { listPhoneNumbers } from '../services/list-phone-numbers.ts';
import { updatePhoneNumber } from '../services/update-phone-number.ts';

export async function phoneNumberRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/phone-numbers',
      auth: 'viewer',
      summary: 'The organization’s phone numbers and the agent answering each',
      query: listPhoneNumbersQuerySchema,
      responses: { 200: listResponse(phoneNumberSchema) },
    },
    async (request, { query }) => {
      const page = await listPhoneNumbers(deps(request), {
        organizationId: request.auth.organizationId,
        ...query,
      });
      return { ...page, items: page.items.map(toPhoneNumberJson) };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/phone-numbers',
      auth: 'admin',
      summary: 'Register a phone number (E.164, unique) and route it to an agent',
      body: createPhoneNumberSchema,
      responses: { 201: phoneNumberSchema },
    },
    async (request, { body }, reply) => {
      const row = await createPhoneNumber(deps(request), {
        organizationId: request.auth.organizationId,
        data: body,
      });
      await audit(
        request,
        'phone_number.create',
        { type: 'phone_number', id: row.id },
        { agentId: row.agentId },
      );
      reply.code(201);
      return toPhoneNumberJson(row);
    },
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/phone-numbers/:id',
      auth: 'admin',
      summary: 'Relabel a number or route it to another agent',
      params: idParamsSchema,
      body: updatePhoneNumberSchema,
      responses: { 200: phoneNumberSchema },
    },
    async (request, { params, body }) => {
      const row = await updatePhoneNumber(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
        patch: body,
      });
      await audit(
        request,
        'phone_number.update',
        { type: 'phone_number', id: row.id },
        { changed: Object.keys(body) },
      );
      return toPhoneNumberJson(row);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/phone-numbers/:id',
      auth: 'admin',
      summary: 'Remove a phone number',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      const row = await deletePhoneNumber(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
      });
      await audit(request, 'phone_number.delete', { type: 'phone_number', id: row.id });
      reply.code(204);
    },
  );
}
