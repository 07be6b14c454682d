import {
  agentSchema,
  createAgentSchema,
  idParamsSchema,
  listResponse,
  paginationSchema,
  updateAgentSchema,
} from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { queueKnowledgeDocument } from '../knowledge/process-job.ts';
import { type AgentRow, toAgentJson } from '../mappers/agents.ts';
import { audit } from '../plugins/audit.ts';
import { createAgent } from '../services/create-agent.ts';
import { deleteAgent } from '../services/delete-agent.ts';
import { getAgent } from '../services/get-agent.ts';
import { listAgents } from '../services/list-agents.ts';
import { syncBriefKnowledge } from '../services/sync-brief-knowledge.ts';
import { updateAgent } from '../services/update-agent.ts';

export async function agentRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/agents',
      auth: 'viewer',
      summary: 'List agents (the default first)',
      query: paginationSchema,
      responses: { 200: listResponse(agentSchema) },
    },
    async (request, { query }) => {
      const page = await listAgents(deps(request), { organizationId: request.auth.organizationId, ...query });
      return { ...page, items: page.items.map(toAgentJson) };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/agents',
      auth: 'admin',
      summary: 'Create an agent (model and voice default from the provider; tuning merged with defaults)',
      body: createAgentSchema,
      responses: { 201: agentSchema },
    },
    async (request, { body }, reply) => {
      const created = await createAgent(deps(request), {
        organizationId: request.auth.organizationId,
        data: body,
      });
      const agent = await indexLongBrief(request, created);
      await audit(request, 'agent.create', { type: 'agent', id: agent.id });
      reply.code(201);
      return toAgentJson(agent);
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/agents/:id',
      auth: 'viewer',
      summary: 'One agent',
      params: idParamsSchema,
      responses: { 200: agentSchema },
    },
    async (request, { params }) =>
      toAgentJson(
        await getAgent(deps(request), { organizationId: request.auth.organizationId, id: params.id }),
      ),
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/agents/:id',
      auth: 'admin',
      summary: 'Update an agent (partial; tuning fields merge)',
      params: idParamsSchema,
      body: updateAgentSchema,
      responses: { 200: agentSchema },
    },
    async (request, { params, body }) => {
      const updated = await updateAgent(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
        patch: body,
      });
      const agent = body.companyBrief === undefined ? updated : await indexLongBrief(request, updated);
      await audit(request, 'agent.update', { type: 'agent', id: agent.id }, { changed: Object.keys(body) });
      return toAgentJson(agent);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/agents/:id',
      auth: 'admin',
      summary: 'Delete an agent (409 for the last one; deleting the default promotes another)',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      const agent = await deleteAgent(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
      });
      await audit(request, 'agent.delete', { type: 'agent', id: agent.id });
      reply.code(204);
    },
  );
}

/** A brief longer than the instructions take is indexed for search_knowledge (docs/knowledge.md). */
async function indexLongBrief(request: FastifyRequest, agent: AgentRow): Promise<AgentRow> {
  const documentId = await syncBriefKnowledge(deps(request), agent);
  if (!documentId) return agent;
  await queueKnowledgeDocument(request.server.ctx, documentId);
  return getAgent(deps(request), { organizationId: agent.organizationId, id: agent.id });
}
