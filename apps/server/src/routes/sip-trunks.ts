/** SIP trunks (docs/sip.md): carriers and PBXs that send and take calls over SIP. */
import {
  createSipTrunkSchema,
  idParamsSchema,
  listResponse,
  listSipTrunksQuerySchema,
  sipTrunkSchema,
  updateSipTrunkSchema,
} from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { toSipTrunkJson } from '../mappers/sip-trunks.ts';
import { audit } from '../plugins/audit.ts';
import { createSipTrunk } from '../services/create-sip-trunk.ts';
import { deleteSipTrunk } from '../services/delete-sip-trunk.ts';
import { listSipTrunks } from '../services/list-sip-trunks.ts';
import { updateSipTrunk } from '../services/update-sip-trunk.ts';

const withSecrets = (request: FastifyRequest) => ({ ...deps(request), secrets: request.server.ctx.secrets });

export async function sipTrunkRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/sip-trunks',
      auth: 'viewer',
      summary: 'The organization’s SIP trunks (passwords are never returned)',
      query: listSipTrunksQuerySchema,
      responses: { 200: listResponse(sipTrunkSchema) },
    },
    async (request, { query }) => {
      const page = await listSipTrunks(deps(request), {
        organizationId: request.auth.organizationId,
        ...query,
      });
      return { ...page, items: page.items.map(toSipTrunkJson) };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/sip-trunks',
      auth: 'admin',
      summary: 'Add a SIP trunk',
      description:
        'An INVITE to `sip:<number>@…` for one of `numbers`, from an address in `inboundAddresses` ' +
        '(IP or CIDR), reaches the agent of that number (its phone number entry, else the default ' +
        'agent). Outbound calls from one of `numbers` go to `outboundProxy` (host:port) with digest ' +
        'credentials `username`/`password` (stored encrypted, never returned). A number carried by ' +
        'another trunk is a 409.',
      body: createSipTrunkSchema,
      responses: { 201: sipTrunkSchema },
    },
    async (request, { body }, reply) => {
      const row = await createSipTrunk(withSecrets(request), {
        organizationId: request.auth.organizationId,
        data: body,
      });
      await audit(
        request,
        'sip_trunk.create',
        { type: 'sip_trunk', id: row.id },
        { numbers: row.numbers.length },
      );
      reply.code(201);
      return toSipTrunkJson(row);
    },
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/sip-trunks/:id',
      auth: 'admin',
      summary: 'Change a SIP trunk (`password: null` removes the password; blank keeps it)',
      params: idParamsSchema,
      body: updateSipTrunkSchema,
      responses: { 200: sipTrunkSchema },
    },
    async (request, { params, body }) => {
      const row = await updateSipTrunk(withSecrets(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
        patch: body,
      });
      await audit(
        request,
        'sip_trunk.update',
        { type: 'sip_trunk', id: row.id },
        { changed: Object.keys(body) },
      );
      return toSipTrunkJson(row);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/sip-trunks/:id',
      auth: 'admin',
      summary: 'Remove a SIP trunk',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      const row = await deleteSipTrunk(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
      });
      await audit(request, 'sip_trunk.delete', { type: 'sip_trunk', id: row.id });
      reply.code(204);
    },
  );
}
