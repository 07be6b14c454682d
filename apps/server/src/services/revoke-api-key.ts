import { apiKeys } from '@switchboard/db';
import { and, eq, isNull } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { notFound } from '../errors.ts';
import type { ApiKeyRow } from '../mappers/users.ts';

/** Revokes a key (it stops working at once). Revoking an already revoked key is a no-op. */
export async function revokeApiKey(
  { db, clock }: ServiceDeps,
  input: { organizationId: string; id: string },
): Promise<ApiKeyRow> {
  const scope = and(eq(apiKeys.organizationId, input.organizationId), eq(apiKeys.id, input.id));
  const [revoked] = await db
    .update(apiKeys)
    .set({ revokedAt: clock() })
    .where(and(scope, isNull(apiKeys.revokedAt)))
    .returning();
  if (revoked) return revoked;
  const [existing] = await db.select().from(apiKeys).where(scope).limit(1);
  if (!existing) throw notFound('API key');
  return existing;
}
