import { organizations } from '@switchboard/db';
import type { updateBusinessProfileSchema } from '@switchboard/shared';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import type { OrganizationRow } from '../mappers/organization.ts';
import { getBusinessProfile } from './get-business-profile.ts';

export type UpdateBusinessProfileData = z.output<typeof updateBusinessProfileSchema>;

/**
 * Changes the fields named in the patch. `businessHours` replaces the whole week (absent days
 * are closed); `retention` changes only the durations it names.
 */
export async function updateBusinessProfile(
  deps: ServiceDeps,
  input: { organizationId: string; patch: UpdateBusinessProfileData },
): Promise<OrganizationRow> {
  const { patch } = input;
  const values: Partial<typeof organizations.$inferInsert> = { updatedAt: deps.clock() };
  if (patch.name !== undefined) values.name = patch.name;
  if (patch.timezone !== undefined) values.timezone = patch.timezone;
  if (patch.businessHours !== undefined) values.businessHours = patch.businessHours;
  if (patch.holidays !== undefined) values.holidays = patch.holidays;
  if (patch.defaultCountry !== undefined) values.defaultCountry = patch.defaultCountry;
  if (patch.retention?.recordingsDays !== undefined)
    values.recordingsRetentionDays = patch.retention.recordingsDays;
  if (patch.retention?.transcriptsDays !== undefined) {
    values.transcriptsRetentionDays = patch.retention.transcriptsDays;
  }
  await deps.db.update(organizations).set(values).where(eq(organizations.id, input.organizationId));
  return getBusinessProfile(deps, input);
}
