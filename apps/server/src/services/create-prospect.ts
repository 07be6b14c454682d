import { type DbOrTx, prospects } from '@switchboard/db';
import type { createProspectSchema } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import type { ProspectRow } from '../mappers/prospects.ts';
import { phoneCountryOf } from './get-business-profile.ts';
import { normalizePhone } from './normalize-phone.ts';

export type CreateProspectData = z.output<typeof createProspectSchema>;

/** The 409 for a phone number the organization already has, naming the existing prospect. */
export async function duplicatePhoneError(
  db: DbOrTx,
  organizationId: string,
  phone: string,
): Promise<AppError> {
  const [existing] = await db
    .select({ id: prospects.id })
    .from(prospects)
    .where(and(eq(prospects.organizationId, organizationId), eq(prospects.phone, phone)))
    .limit(1);
  return new AppError('conflict', 'A prospect with this phone number already exists', {
    field: 'phone',
    existingId: existing?.id,
  });
}

/**
 * Creates a prospect (a local phone number is read in the business profile's country); 409
 * `conflict` when the organization already has one with this phone number.
 */
export async function createProspect(
  { db }: ServiceDeps,
  input: { organizationId: string; data: CreateProspectData },
): Promise<ProspectRow> {
  const phone = normalizePhone(input.data.phone, await phoneCountryOf(db, input.organizationId));
  try {
    const [row] = await db
      .insert(prospects)
      .values({
        ...input.data,
        phone,
        organizationId: input.organizationId,
        email: input.data.email ?? null,
        timezone: input.data.timezone ?? null,
      })
      .returning();
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) throw await duplicatePhoneError(db, input.organizationId, phone);
    throw error;
  }
}
