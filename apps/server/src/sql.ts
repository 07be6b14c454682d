/** Small query helpers shared by services (all parameterised; nothing here builds SQL from strings). */
import { type DbOrTx, organizations } from '@switchboard/db';
import type { ListResponse } from '@switchboard/shared';
import { eq } from 'drizzle-orm';

/** Escapes LIKE wildcards so user input matches literally (`50%` finds "50%", not "500"). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `%value%` for a case-insensitive substring match with ilike. */
export function containsPattern(value: string): string {
  return `%${escapeLike(value)}%`;
}

/**
 * Locks the organization row until the transaction ends. Use-cases that keep an invariant over
 * several rows of one organization (one default agent, at least one owner, import de-duplication)
 * take this lock first so concurrent requests cannot both pass the check.
 */
export async function lockOrganization(tx: DbOrTx, organizationId: string): Promise<void> {
  await tx
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .for('update');
}

/** Runs a page query and its count together and answers the API's list shape. */
export async function pageOf<T>(
  rows: PromiseLike<T[]>,
  total: PromiseLike<number>,
  page: { limit: number; offset: number },
): Promise<ListResponse<T>> {
  const [items, count] = await Promise.all([rows, total]);
  return { items, total: count, limit: page.limit, offset: page.offset };
}
