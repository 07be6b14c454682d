import { type DbOrTx, organizations } from '@switchboard/db';
import type { CountryCode } from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import { notFound } from '../errors.ts';
import type { OrganizationRow } from '../mappers/organization.ts';

/** The organization's row (business profile). */
export async function getBusinessProfile(
  { db }: { db: DbOrTx },
  input: { organizationId: string },
): Promise<OrganizationRow> {
  const [row] = await db
    .select()
    .from(organizations)
    .where(eq(organizations.id, input.organizationId))
    .limit(1);
  if (!row) throw notFound('Organization');
  return row;
}

/** The country local phone numbers are read in (business profile; US when unknown). */
export async function phoneCountryOf(db: DbOrTx, organizationId: string): Promise<CountryCode> {
  const [row] = await db
    .select({ country: organizations.defaultCountry })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .limit(1);
  return (row?.country ?? 'US') as CountryCode;
}
