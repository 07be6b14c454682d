import { apiKeys, auditLog, users } from '@switchboard/db';
import type { AuditEntry, ListResponse, listAuditQuerySchema } from '@switchboard/shared';
import { and, desc, eq, gte, like, lte, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import { iso } from '../mappers/iso.ts';
import { escapeLike, pageOf } from '../sql.ts';

export type ListAuditInput = { organizationId: string } & z.output<typeof listAuditQuerySchema>;

/** The organization's audit log, newest first, with who acted (user email or API key name). */
export async function listAudit(
  { db }: ServiceDeps,
  input: ListAuditInput,
): Promise<ListResponse<AuditEntry>> {
  const conditions: SQL[] = [eq(auditLog.organizationId, input.organizationId)];
  if (input.actor) conditions.push(or(eq(auditLog.userId, input.actor), eq(auditLog.apiKeyId, input.actor))!);
  if (input.action) {
    conditions.push(
      input.action.endsWith('.')
        ? like(auditLog.action, `${escapeLike(input.action)}%`)
        : eq(auditLog.action, input.action),
    );
  }
  if (input.from) conditions.push(gte(auditLog.createdAt, new Date(input.from)));
  if (input.to) conditions.push(lte(auditLog.createdAt, new Date(input.to)));
  const where = and(...conditions);
  const rows = db
    .select({ entry: auditLog, email: users.email, keyName: apiKeys.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .leftJoin(apiKeys, eq(apiKeys.id, auditLog.apiKeyId))
    .where(where)
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(input.limit)
    .offset(input.offset)
    .then((list) =>
      list.map(
        ({ entry, email, keyName }): AuditEntry => ({
          id: entry.id,
          action: entry.action,
          actor: entry.apiKeyId
            ? { type: 'api_key', id: entry.apiKeyId, label: keyName }
            : entry.userId
              ? { type: 'user', id: entry.userId, label: email }
              : { type: 'system', id: null, label: null },
          targetType: entry.targetType,
          targetId: entry.targetId,
          ip: entry.ip,
          details: entry.details,
          createdAt: iso(entry.createdAt),
        }),
      ),
    );
  return pageOf(rows, db.$count(auditLog, where), input);
}
