import type { phoneNumbers } from '@switchboard/db';
import type { PhoneNumber } from '@switchboard/shared';
import { iso } from './iso.ts';

export type PhoneNumberRow = typeof phoneNumbers.$inferSelect;

export function toPhoneNumberJson(row: PhoneNumberRow): PhoneNumber {
  return {
    id: row.id,
    number: row.e164,
    label: row.label,
    agentId: row.agentId,
    createdAt: iso(row.createdAt),
  };
}
