import { sipTrunks } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { notFound } from '../errors.ts';

/** Removes a trunk and its numbers; calls already up on it continue. */
export async function deleteSipTrunk(
  { db }: ServiceDeps,
  input: { organizationId: string; id: string },
): Promise<{ id: string }> {
  const [row] = await db
    .delete(sipTrunks)
    .where(and(eq(sipTrunks.organizationId, input.organizationId), eq(sipTrunks.id, input.id)))
    .returning({ id: sipTrunks.id });
  if (!row) throw notFound('SIP trunk');
  return row;
}
