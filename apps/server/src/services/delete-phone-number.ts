import { phoneNumbers } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { notFound } from '../errors.ts';
import type { PhoneNumberRow } from '../mappers/phone-numbers.ts';

export async function deletePhoneNumber(
  { db }: ServiceDeps,
  input: { organizationId: string; id: string },
): Promise<PhoneNumberRow> {
  const [row] = await db
    .delete(phoneNumbers)
    .where(and(eq(phoneNumbers.organizationId, input.organizationId), eq(phoneNumbers.id, input.id)))
    .returning();
  if (!row) throw notFound('Phone number');
  return row;
}
