import { phoneNumbers } from '@switchboard/db';
import type { updatePhoneNumberSchema } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import { notFound } from '../errors.ts';
import type { PhoneNumberRow } from '../mappers/phone-numbers.ts';
import { assertAgentInOrganization } from './phone-number-rules.ts';

/** Relabels a number or routes it to another agent (`agentId: null` unroutes it). */
export async function updatePhoneNumber(
  { db }: ServiceDeps,
  input: { organizationId: string; id: string; patch: z.output<typeof updatePhoneNumberSchema> },
): Promise<PhoneNumberRow> {
  await assertAgentInOrganization(db, input.organizationId, input.patch.agentId);
  const scope = and(eq(phoneNumbers.organizationId, input.organizationId), eq(phoneNumbers.id, input.id));
  const [row] = Object.keys(input.patch).length
    ? await db.update(phoneNumbers).set(input.patch).where(scope).returning()
    : await db.select().from(phoneNumbers).where(scope).limit(1);
  if (!row) throw notFound('Phone number');
  return row;
}
