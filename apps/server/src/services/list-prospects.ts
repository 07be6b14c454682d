import { prospects } from '@switchboard/db';
import type { ListResponse, listProspectsQuerySchema } from '@switchboard/shared';
import { and, asc, desc, eq, ilike, like, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import type { ProspectRow } from '../mappers/prospects.ts';
import { containsPattern, pageOf } from '../sql.ts';

export type ListProspectsInput = { organizationId: string } & z.output<typeof listProspectsQuerySchema>;

const SORT_COLUMNS = {
  createdAt: prospects.createdAt,
  updatedAt: prospects.updatedAt,
  company: prospects.company,
  contact: prospects.contact,
  status: prospects.status,
} as const;

/**
 * Lists prospects with search (`q`: case-insensitive substring of company, contact, phone or
 * email; a phone typed with punctuation also matches by its digits), filters, sort and paging.
 */
export async function listProspects(
  { db }: ServiceDeps,
  input: ListProspectsInput,
): Promise<ListResponse<ProspectRow>> {
  const conditions: (SQL | undefined)[] = [eq(prospects.organizationId, input.organizationId)];
  if (input.q) {
    const pattern = containsPattern(input.q);
    const digits = input.q.replace(/\D/g, '');
    conditions.push(
      or(
        ilike(prospects.company, pattern),
        ilike(prospects.contact, pattern),
        ilike(prospects.phone, pattern),
        ilike(prospects.email, pattern),
        digits.length >= 3 && digits !== input.q ? like(prospects.phone, containsPattern(digits)) : undefined,
      ),
    );
  }
  if (input.status) conditions.push(eq(prospects.status, input.status));
  if (input.source) conditions.push(eq(prospects.source, input.source));
  if (input.consent) conditions.push(eq(prospects.consent, input.consent));
  const where = and(...conditions);
  const direction = input.order === 'asc' ? asc : desc;
  return pageOf(
    db
      .select()
      .from(prospects)
      .where(where)
      .orderBy(direction(SORT_COLUMNS[input.sort]), direction(prospects.id))
      .limit(input.limit)
      .offset(input.offset),
    db.$count(prospects, where),
    input,
  );
}
