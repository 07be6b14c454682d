import { type BusinessProfile, DEFAULT_WEEKLY_HOURS, fullWeek } from '@switchboard/shared';
import { iso } from './iso.ts';
import type { OrganizationRow } from './users.ts';

export type { OrganizationRow };

/** The business profile as the API shows it: every weekday present (closed days empty). */
export function toBusinessProfileJson(row: OrganizationRow): BusinessProfile {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    businessHours: fullWeek(row.businessHours ?? DEFAULT_WEEKLY_HOURS),
    holidays: row.holidays,
    defaultCountry: row.defaultCountry,
    retention: { recordingsDays: row.recordingsRetentionDays, transcriptsDays: row.transcriptsRetentionDays },
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
