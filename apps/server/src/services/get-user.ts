import { type DbOrTx, users } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../errors.ts';
import type { UserRow } from '../mappers/users.ts';

/** The user with this id in this organization; 404 otherwise (also for other organizations' users). */
export async function getUser(
  { db }: { db: DbOrTx },
  input: { organizationId: string; id: string },
): Promise<UserRow> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, input.organizationId), eq(users.id, input.id)))
    .limit(1);
  if (!row) throw notFound('User');
  return row;
}
