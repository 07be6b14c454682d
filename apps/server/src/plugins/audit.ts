/**
 * `audit(request, action, target, details)`: one audit_log row per login and per write, with
 * the caller (user or API key), organization and IP taken from the request. Call it after the
 * write succeeded. An audit failure is logged and never turns a successful write into an error.
 */
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../auth/roles.ts';
import { recordAudit } from '../services/record-audit.ts';
import { optionalAuth } from './auth.ts';

export interface AuditTarget {
  type: string;
  id: string;
}

export async function audit(
  request: FastifyRequest,
  action: string,
  target: AuditTarget | null,
  details: Record<string, unknown> = {},
  /** The actor when the request is not authenticated (login). */
  actor?: Pick<AuthContext, 'organizationId' | 'userId'>,
): Promise<void> {
  const who: Pick<AuthContext, 'organizationId' | 'userId' | 'apiKeyId'> | undefined =
    actor ?? optionalAuth(request);
  if (!who) {
    request.log.error({ action }, 'audit without an actor');
    return;
  }
  try {
    await recordAudit(
      { db: request.server.ctx.db },
      {
        organizationId: who.organizationId,
        userId: who.userId,
        apiKeyId: who.apiKeyId,
        action,
        targetType: target?.type,
        targetId: target?.id,
        ip: request.ip,
        details,
      },
    );
  } catch (error) {
    request.log.error({ err: error, action }, 'audit write failed');
  }
}
