/**
 * Where free/busy time comes from and where booked meetings go. The built-in calendar (the
 * appointments table) is the default; Google Calendar is used when a service account is
 * configured. Appointments are always stored locally too, so the dashboard shows them.
 */
import type { Interval } from './business-hours.ts';

export interface CalendarEventInput {
  start: Date;
  end: Date;
  timeZone: string;
  title: string;
  description: string;
}

export interface CalendarProvider {
  readonly name: 'builtin' | 'google';
  /** Busy intervals overlapping [from, to). `signal` aborts the request (the caller hung up). */
  busy(from: Date, to: Date, signal?: AbortSignal): Promise<Interval[]>;
  /** Creates the event in the external calendar; returns its id (null for the built-in one). */
  createEvent(event: CalendarEventInput, signal?: AbortSignal): Promise<{ externalId: string | null }>;
  /** Moves or renames an event created by createEvent. */
  updateEvent(externalId: string, event: CalendarEventInput): Promise<void>;
  /** Cancels (deletes) an event created by createEvent; an event already gone counts as done. */
  cancelEvent(externalId: string): Promise<void>;
}
