/**
 * Business hours, holidays and time zone an agent books in: the agent's own hours, else the
 * organization's, else DEFAULT_BUSINESS_HOURS (Monday–Friday 09:00–17:00); the time zone is the
 * agent's, else the organization's. Holidays are always the organization's.
 */
import { agents, type BusinessHours, type DbOrTx, organizations } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { DEFAULT_BUSINESS_HOURS } from './business-hours.ts';

export interface Schedule {
  hours: BusinessHours;
  holidays: string[];
  timeZone: string;
}

export async function loadSchedule(
  db: DbOrTx,
  input: { organizationId: string; agentId: string | null },
): Promise<Schedule> {
  const [org] = await db
    .select({
      hours: organizations.businessHours,
      timeZone: organizations.timezone,
      holidays: organizations.holidays,
    })
    .from(organizations)
    .where(eq(organizations.id, input.organizationId))
    .limit(1);
  const [agent] = input.agentId
    ? await db
        .select({ hours: agents.businessHours, timeZone: agents.timezone })
        .from(agents)
        .where(and(eq(agents.organizationId, input.organizationId), eq(agents.id, input.agentId)))
        .limit(1)
    : [];
  return {
    hours: agent?.hours ?? org?.hours ?? DEFAULT_BUSINESS_HOURS,
    holidays: org?.holidays ?? [],
    timeZone: agent?.timeZone ?? org?.timeZone ?? 'UTC',
  };
}
