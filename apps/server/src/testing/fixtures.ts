/** Rows the API cannot create yet (calls, transcripts, events, appointments), inserted directly for tests. */
import { appointments, callEvents, calls, type Db, transcriptSegments } from '@switchboard/db';
import type { CallEventType } from '@switchboard/shared';
import type { AppointmentRow } from '../mappers/appointments.ts';
import type { CallRow } from '../mappers/calls.ts';

export async function insertCall(
  db: Db,
  organizationId: string,
  values: Partial<typeof calls.$inferInsert> = {},
): Promise<CallRow> {
  const [row] = await db
    .insert(calls)
    .values({
      direction: 'inbound',
      from: '+14155550100',
      to: '+14155550199',
      status: 'completed',
      ...values,
      organizationId,
    })
    .returning();
  return row!;
}

export async function insertTranscript(
  db: Db,
  call: Pick<CallRow, 'id' | 'organizationId'>,
  segments: { role: 'user' | 'assistant' | 'system'; text: string; atMs: number }[],
): Promise<void> {
  for (const segment of segments) {
    await db
      .insert(transcriptSegments)
      .values({ ...segment, callId: call.id, organizationId: call.organizationId });
  }
}

export async function insertCallEvents(
  db: Db,
  call: Pick<CallRow, 'id' | 'organizationId'>,
  events: { type: CallEventType; atMs: number; data?: Record<string, unknown> }[],
): Promise<void> {
  for (const event of events) {
    await db.insert(callEvents).values({ ...event, callId: call.id, organizationId: call.organizationId });
  }
}

export async function insertAppointment(
  db: Db,
  organizationId: string,
  values: Partial<typeof appointments.$inferInsert> & { start: Date },
): Promise<AppointmentRow> {
  const [row] = await db
    .insert(appointments)
    .values({
      title: 'Meeting',
      end: new Date(values.start.getTime() + 30 * 60_000),
      ...values,
      organizationId,
    })
    .returning();
  return row!;
}

/**
 * A time zone whose wall clock is far from midnight now, for tests whose campaign is open
 * "00:00"–"23:59": a window's end is exclusive, so the last minute before midnight is outside it
 * and a test running then (or crossing it) would wait for a dial that never comes.
 */
export function zoneAwayFromMidnight(now = new Date()): string {
  const hour = now.getUTCHours();
  return hour >= 22 || hour < 1 ? 'Etc/GMT-12' : 'UTC';
}
