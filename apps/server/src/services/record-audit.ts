import { auditLog, type DbOrTx } from '@switchboard/db';

export interface AuditEntry {
  organizationId: string;
  userId?: string | undefined;
  apiKeyId?: string | undefined;
  /** `<resource>.<verb>`, e.g. `prospect.create`, `auth.login`, `auth.login_failed`. */
  action: string;
  targetType?: string | undefined;
  targetId?: string | undefined;
  ip?: string | undefined;
  /** What changed (field names, counts), never secrets or personal data. */
  details?: Record<string, unknown>;
}

export async function recordAudit(deps: { db: DbOrTx }, entry: AuditEntry): Promise<void> {
  await deps.db.insert(auditLog).values({
    organizationId: entry.organizationId,
    userId: entry.userId ?? null,
    apiKeyId: entry.apiKeyId ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
  });
}
