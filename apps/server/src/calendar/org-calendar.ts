/**
 * The calendar an organization's agents book into: the built-in one always, plus Google
 * Calendar when the organization saved a google_calendar integration or the server has
 * GOOGLE_APPLICATION_CREDENTIALS (GOOGLE_CALENDAR_API_URL points the adapter elsewhere, e.g. at a
 * local fake). Busy time is the union of both; the meeting is stored locally and, with Google,
 * also created there.
 */
import type { Config } from '../config.ts';
import type { IntegrationDeps } from '../integrations/settings.ts';
import { resolveCredentials } from '../services/resolve-credentials.ts';
import { BuiltinCalendar } from './builtin.ts';
import type { Interval } from './business-hours.ts';
import { GoogleCalendar } from './google.ts';
import type { CalendarProvider } from './provider.ts';

export interface OrgCalendar {
  /** Where meetings are mirrored: 'google' when configured, else 'builtin'. */
  readonly provider: 'builtin' | 'google';
  /** The external calendar, when one is configured. */
  readonly external: CalendarProvider | null;
  /** Busy intervals overlapping [from, to) from every source, sorted by start. */
  busy(from: Date, to: Date, signal?: AbortSignal): Promise<Interval[]>;
}

export async function openOrgCalendar(
  deps: IntegrationDeps & { config: Config },
  organizationId: string,
): Promise<OrgCalendar> {
  const builtin = new BuiltinCalendar(deps.db, organizationId);
  const google = (await resolveCredentials(deps, organizationId)).googleCalendar;
  const external = google
    ? new GoogleCalendar({
        account: google.serviceAccount,
        calendarId: google.calendarId,
        rootUrl: deps.config.google.calendarApiUrl,
      })
    : null;
  return {
    provider: external ? 'google' : 'builtin',
    external,
    async busy(from, to, signal) {
      const [local, remote] = await Promise.all([
        builtin.busy(from, to),
        external ? external.busy(from, to, signal) : Promise.resolve([]),
      ]);
      return [...local, ...remote].sort((a, b) => a.start.getTime() - b.start.getTime());
    },
  };
}
