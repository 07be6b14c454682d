import { prospects } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { notFound } from '../errors.ts';
import type { ProspectRow } from '../mappers/prospects.ts';

/** Deletes a prospect; its calls, appointments and messages stay, with the prospect reference cleared. */
export async function deleteProspect(
  { db }: ServiceDeps,
  input: { organizationId: string; id: string },
): Promise<ProspectRow> {
  const [row] = await db
    .delete(prospects)
    .where(and(eq(prospects.organizationId, input.organizationId), eq(prospects.id, input.id)))
    .returning();
  if (!row) throw notFound('Prospect');
  return row;
}
