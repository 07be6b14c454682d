import { apiKeys } from '@switchboard/db';
import type { ListResponse } from '@switchboard/shared';
import { desc, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import type { ApiKeyRow } from '../mappers/users.ts';
import { pageOf } from '../sql.ts';

/** The organization's API keys, newest first, revoked ones included (with `revokedAt`). */
export async function listApiKeys(
  { db }: ServiceDeps,
  input: { organizationId: string; limit: number; offset: number },
): Promise<ListResponse<ApiKeyRow>> {
  const where = eq(apiKeys.organizationId, input.organizationId);
  return pageOf(
    db
      .select()
      .from(apiKeys)
      .where(where)
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(input.limit)
      .offset(input.offset),
    db.$count(apiKeys, where),
    input,
  );
}
