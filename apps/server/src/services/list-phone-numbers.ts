import { phoneNumbers } from '@switchboard/db';
import type { ListResponse } from '@switchboard/shared';
import { asc, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import type { PhoneNumberRow } from '../mappers/phone-numbers.ts';
import { pageOf } from '../sql.ts';

export async function listPhoneNumbers(
  { db }: ServiceDeps,
  input: { organizationId: string; limit: number; offset: number },
): Promise<ListResponse<PhoneNumberRow>> {
  const where = eq(phoneNumbers.organizationId, input.organizationId);
  return pageOf(
    db
      .select()
      .from(phoneNumbers)
      .where(where)
      .orderBy(asc(phoneNumbers.e164), asc(phoneNumbers.id))
      .limit(input.limit)
      .offset(input.offset),
    db.$count(phoneNumbers, where),
    input,
  );
}
