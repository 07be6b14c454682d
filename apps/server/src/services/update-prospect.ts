import { prospects } from '@switchboard/db';
import type { updateProspectSchema } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import { isUniqueViolation, notFound } from '../errors.ts';
import type { ProspectRow } from '../mappers/prospects.ts';
import { duplicatePhoneError } from './create-prospect.ts';
import { phoneCountryOf } from './get-business-profile.ts';
import { normalizePhone } from './normalize-phone.ts';

export type UpdateProspectData = z.output<typeof updateProspectSchema>;

/** Applies a partial update; 404 for unknown ids, 409 when the new phone belongs to another prospect. */
export async function updateProspect(
  { db, clock }: ServiceDeps,
  input: { organizationId: string; id: string; patch: UpdateProspectData },
): Promise<ProspectRow> {
  const phone =
    input.patch.phone === undefined
      ? undefined
      : normalizePhone(input.patch.phone, await phoneCountryOf(db, input.organizationId));
  try {
    const [row] = await db
      .update(prospects)
      .set({ ...input.patch, ...(phone ? { phone } : {}), updatedAt: clock() })
      .where(and(eq(prospects.organizationId, input.organizationId), eq(prospects.id, input.id)))
      .returning();
    if (!row) throw notFound('Prospect');
    return row;
  } catch (error) {
    if (isUniqueViolation(error) && phone) {
      throw await duplicatePhoneError(db, input.organizationId, phone);
    }
    throw error;
  }
}
