import { integrations } from '@switchboard/db';
import type { IntegrationProvider } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';

/**
 * Forgets an organization's credentials (and test status) for one provider; the environment's
 * credentials, if any, apply again. Idempotent: answers whether anything was stored.
 */
export async function deleteIntegration(
  { db }: ServiceDeps,
  input: { organizationId: string; provider: IntegrationProvider },
): Promise<boolean> {
  const rows = await db
    .delete(integrations)
    .where(
      and(eq(integrations.organizationId, input.organizationId), eq(integrations.provider, input.provider)),
    )
    .returning({ id: integrations.id });
  return rows.length > 0;
}
