import type { prospects } from '@switchboard/db';
import type { Prospect } from '@switchboard/shared';
import { iso } from './iso.ts';

export type ProspectRow = typeof prospects.$inferSelect;

export function toProspectJson(row: ProspectRow): Prospect {
  return {
    id: row.id,
    company: row.company,
    contact: row.contact,
    phone: row.phone,
    email: row.email,
    timezone: row.timezone,
    status: row.status,
    notes: row.notes,
    source: row.source,
    consent: row.consent,
    consentAt: row.consentAt ? iso(row.consentAt) : null,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
