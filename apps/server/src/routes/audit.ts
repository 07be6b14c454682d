import { auditEntrySchema, listAuditQuerySchema, listResponse } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { listAudit } from '../services/list-audit.ts';

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/audit',
      auth: 'admin',
      summary: 'The audit log, newest first (filters: actor, action or action prefix, from/to)',
      description:
        'One row per sign-in and per write (who, what, which record, IP). A deleted user or key shows as ' +
        'its id with a null label; the system (webhooks, retention) has actor type `system`.',
      query: listAuditQuerySchema,
      responses: { 200: listResponse(auditEntrySchema) },
    },
    async (request, { query }) =>
      listAudit(deps(request), { organizationId: request.auth.organizationId, ...query }),
  );
}
