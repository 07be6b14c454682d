/**
 * Google Calendar adapter (googleapis) authenticated as a service account. It uses
 * self-signed JWTs (`useJWTAccessWithScope`), so no token exchange is needed and a local
 * fake of the Calendar API can stand in for Google in tests (`rootUrl`).
 */
import { readFileSync } from 'node:fs';
import type { calendar_v3 } from '@googleapis/calendar';
import type { Interval } from './business-hours.ts';
import type { CalendarEventInput, CalendarProvider } from './provider.ts';

export interface ServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

export function readServiceAccount(path: string): ServiceAccount {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServiceAccount>;
  if (typeof json.client_email !== 'string' || typeof json.private_key !== 'string') {
    throw new Error(
      `GOOGLE_APPLICATION_CREDENTIALS (${path}) is not a service-account key: client_email/private_key missing`,
    );
  }
  return json as ServiceAccount;
}

export interface GoogleCalendarOptions {
  account: ServiceAccount;
  calendarId: string;
  /** Base URL of the Calendar API; default Google's. Tests point it at a local fake. */
  rootUrl?: string | undefined;
  timeoutMs?: number;
}

export class GoogleCalendar implements CalendarProvider {
  readonly name = 'google' as const;
  #options: GoogleCalendarOptions;
  #api: Promise<calendar_v3.Calendar> | null = null;
  #calendarId: string;

  constructor(options: GoogleCalendarOptions) {
    this.#options = options;
    this.#calendarId = options.calendarId;
  }

  /** The API client, built on first use: googleapis is ~4 MiB of heap a server without Google Calendar never needs. */
  #client(): Promise<calendar_v3.Calendar> {
    this.#api ??= import('@googleapis/calendar').then(({ calendar, auth: googleAuth }) => {
      const options = this.#options;
      const auth = new googleAuth.JWT({
        email: options.account.client_email,
        key: options.account.private_key,
        keyId: options.account.private_key_id,
        scopes: ['https://www.googleapis.com/auth/calendar'],
      });
      // Not a constructor option in google-auth-library: set it on the instance.
      auth.useJWTAccessWithScope = true;
      return calendar({
        version: 'v3',
        auth,
        timeout: options.timeoutMs ?? 8000,
        ...(options.rootUrl ? { rootUrl: options.rootUrl.replace(/\/?$/, '/') } : {}),
      });
    });
    return this.#api;
  }

  async busy(from: Date, to: Date, signal?: AbortSignal): Promise<Interval[]> {
    const res = await (await this.#client()).freebusy.query(
      {
        requestBody: {
          timeMin: from.toISOString(),
          timeMax: to.toISOString(),
          items: [{ id: this.#calendarId }],
        },
      },
      signal ? { signal } : {},
    );
    const entry = res.data.calendars?.[this.#calendarId];
    if (entry?.errors?.length) {
      throw new Error(`Google Calendar free/busy failed: ${entry.errors.map((e) => e.reason).join(', ')}`);
    }
    return (entry?.busy ?? [])
      .filter((b) => b.start && b.end)
      .map((b) => ({ start: new Date(b.start as string), end: new Date(b.end as string) }));
  }

  async createEvent(event: CalendarEventInput, signal?: AbortSignal): Promise<{ externalId: string | null }> {
    const res = await (await this.#client()).events.insert(
      {
        calendarId: this.#calendarId,
        requestBody: {
          summary: event.title,
          description: event.description,
          start: { dateTime: event.start.toISOString(), timeZone: event.timeZone },
          end: { dateTime: event.end.toISOString(), timeZone: event.timeZone },
        },
      },
      signal ? { signal } : {},
    );
    return { externalId: res.data.id ?? null };
  }

  async updateEvent(externalId: string, event: CalendarEventInput): Promise<void> {
    await (await this.#client()).events.patch({
      calendarId: this.#calendarId,
      eventId: externalId,
      requestBody: {
        summary: event.title,
        description: event.description,
        start: { dateTime: event.start.toISOString(), timeZone: event.timeZone },
        end: { dateTime: event.end.toISOString(), timeZone: event.timeZone },
      },
    });
  }

  async cancelEvent(externalId: string): Promise<void> {
    try {
      await (await this.#client()).events.delete({ calendarId: this.#calendarId, eventId: externalId });
    } catch (error) {
      // 404/410: deleted in Google already, which is what we wanted.
      const status =
        (error as { status?: number; code?: number }).status ?? (error as { code?: number }).code;
      if (status === 404 || status === 410) return;
      throw error;
    }
  }
}
