import { type DbOrTx, prospects } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../errors.ts';
import type { ProspectRow } from '../mappers/prospects.ts';

/** The prospect with this id in this organization; 404 otherwise (also for other organizations' prospects). */
export async function getProspect(
  { db }: { db: DbOrTx },
  input: { organizationId: string; id: string },
): Promise<ProspectRow> {
  const [row] = await db
    .select()
    .from(prospects)
    .where(and(eq(prospects.organizationId, input.organizationId), eq(prospects.id, input.id)))
    .limit(1);
  if (!row) throw notFound('Prospect');
  return row;
}
