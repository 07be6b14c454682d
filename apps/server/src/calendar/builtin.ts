/**
 * The built-in calendar: the organization's confirmed appointments are its busy time. It is
 * always consulted (also when Google Calendar is configured), because meetings booked here or
 * by hand live in the appointments table either way.
 */
import { appointments, type DbOrTx } from '@switchboard/db';
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Interval } from './business-hours.ts';
import type { CalendarProvider } from './provider.ts';

export class BuiltinCalendar implements CalendarProvider {
  readonly name = 'builtin' as const;
  #db: DbOrTx;
  #organizationId: string;

  constructor(db: DbOrTx, organizationId: string) {
    this.#db = db;
    this.#organizationId = organizationId;
  }

  async busy(from: Date, to: Date): Promise<Interval[]> {
    return this.#db
      .select({ start: appointments.start, end: appointments.end })
      .from(appointments)
      .where(
        and(
          eq(appointments.organizationId, this.#organizationId),
          eq(appointments.status, 'confirmed'),
          lt(appointments.start, to),
          gt(appointments.end, from),
        ),
      )
      .orderBy(asc(appointments.start));
  }

  /** The appointment row is the event: nothing to create elsewhere. */
  async createEvent(): Promise<{ externalId: string | null }> {
    return { externalId: null };
  }

  async updateEvent(): Promise<void> {}

  async cancelEvent(): Promise<void> {}
}
