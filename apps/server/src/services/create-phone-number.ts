import { phoneNumbers } from '@switchboard/db';
import type { createPhoneNumberSchema } from '@switchboard/shared';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import { isUniqueViolation } from '../errors.ts';
import type { PhoneNumberRow } from '../mappers/phone-numbers.ts';
import { assertAgentInOrganization, numberTakenError } from './phone-number-rules.ts';

/** Registers a number (E.164, unique across the installation) and optionally routes it to an agent. */
export async function createPhoneNumber(
  { db }: ServiceDeps,
  input: { organizationId: string; data: z.output<typeof createPhoneNumberSchema> },
): Promise<PhoneNumberRow> {
  const { data, organizationId } = input;
  await assertAgentInOrganization(db, organizationId, data.agentId);
  try {
    const [row] = await db
      .insert(phoneNumbers)
      .values({ organizationId, e164: data.number, label: data.label, agentId: data.agentId ?? null })
      .returning();
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) throw numberTakenError();
    throw error;
  }
}
