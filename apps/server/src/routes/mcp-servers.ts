/**
 * MCP servers of the organization (docs/mcp.md): register (streamable HTTP with encrypted
 * headers; a local command over stdio only with MCP_ALLOW_STDIO=true, owners only), change,
 * remove, and list their tools (connects and refreshes what agents can enable).
 */
import { mcpServers } from '@switchboard/db';
import {
  createMcpServerSchema,
  idParamsSchema,
  listResponse,
  mcpFunctionName,
  mcpServerSchema,
  mcpServerToolsResponseSchema,
  updateMcpServerSchema,
} from '@switchboard/shared';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../http/route.ts';
import { toMcpServerJson } from '../mappers/mcp-servers.ts';
import { getMcpServer } from '../mcp/servers.ts';
import { audit } from '../plugins/audit.ts';
import { createMcpServer } from '../services/create-mcp-server.ts';
import { deleteMcpServer } from '../services/delete-mcp-server.ts';
import { discoverMcpTools } from '../services/discover-mcp-tools.ts';
import { updateMcpServer } from '../services/update-mcp-server.ts';

export async function mcpServerRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const json = (row: Parameters<typeof toMcpServerJson>[0]) => toMcpServerJson(row, ctx.secrets);

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/mcp-servers',
      auth: 'viewer',
      summary: 'MCP servers of the organization, with the tools found at their last connection',
      responses: { 200: listResponse(mcpServerSchema) },
    },
    async (request) => {
      const rows = await ctx.db
        .select()
        .from(mcpServers)
        .where(eq(mcpServers.organizationId, request.auth.organizationId))
        .orderBy(asc(mcpServers.name));
      return { items: rows.map(json), total: rows.length, limit: rows.length, offset: 0 };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/mcp-servers',
      auth: 'admin',
      summary:
        'Register an MCP server (connects once to list its tools; a failure is kept as status `error`)',
      body: createMcpServerSchema,
      responses: { 201: mcpServerSchema },
    },
    async (request, { body }, reply) => {
      const created = await createMcpServer(ctx, {
        organizationId: request.auth.organizationId,
        role: request.auth.role,
        data: body,
      });
      const row = await discoverMcpTools(ctx, created);
      await audit(
        request,
        'mcp_server.create',
        { type: 'mcp_server', id: row.id },
        { name: row.name, transport: row.transport },
      );
      reply.code(201);
      return json(row);
    },
  );

  defineRoute(
    app,
    {
      method: 'PATCH',
      url: '/api/mcp-servers/:id',
      auth: 'admin',
      summary: 'Change an MCP server (`headers`, when given, replaces all stored headers)',
      params: idParamsSchema,
      body: updateMcpServerSchema,
      responses: { 200: mcpServerSchema },
    },
    async (request, { params, body }) => {
      const updated = await updateMcpServer(ctx, {
        organizationId: request.auth.organizationId,
        role: request.auth.role,
        id: params.id,
        patch: body,
      });
      const row = updated.status === 'untested' ? await discoverMcpTools(ctx, updated) : updated;
      await audit(
        request,
        'mcp_server.update',
        { type: 'mcp_server', id: row.id },
        { changed: Object.keys(body) },
      );
      return json(row);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/mcp-servers/:id',
      auth: 'admin',
      summary: 'Remove an MCP server (its tools are removed from every agent)',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      const row = await deleteMcpServer(ctx, {
        organizationId: request.auth.organizationId,
        role: request.auth.role,
        id: params.id,
      });
      await audit(request, 'mcp_server.delete', { type: 'mcp_server', id: row.id }, { name: row.name });
      reply.code(204);
    },
  );

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/mcp-servers/:id/tools',
      auth: 'admin',
      summary:
        'Connect to the server and list its tools with their argument schemas (also tests the connection)',
      description:
        'Each tool has `ref` (`mcp:<server>:<tool>`, what an agent lists in `tools`) and `functionName` (what the model sees). An unreachable server still answers 200, with `status: error`, the reason and the tools of the last successful connection.',
      params: idParamsSchema,
      rateLimit: { max: 30, timeWindow: '1 minute' },
      responses: { 200: mcpServerToolsResponseSchema },
    },
    async (request, { params }) => {
      const existing = await getMcpServer(ctx.db, {
        organizationId: request.auth.organizationId,
        id: params.id,
      });
      const row = await discoverMcpTools(ctx, existing);
      return {
        server: row.name,
        status: row.status,
        error: row.lastError,
        tools: row.tools.map((t) => ({
          ...t,
          ref: `mcp:${row.name}:${t.name}`,
          functionName: mcpFunctionName(row.name, t.name),
        })),
        fetchedAt: row.toolsFetchedAt?.toISOString() ?? null,
      };
    },
  );
}
