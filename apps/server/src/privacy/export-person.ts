/**
 * `GET /api/prospects/:id/export`: everything the organization holds about one person (the
 * prospect, and every call and text with their number): profile, calls with transcripts, events
 * and summaries, messages, appointments, recording links and do-not-call status.
 */
import {
  appointments,
  callEvents,
  calls,
  doNotCall,
  messages,
  organizations,
  transcriptSegments,
} from '@switchboard/db';
import type { PersonExport } from '@switchboard/shared';
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { notFound } from '../errors.ts';
import { toAppointmentJson } from '../mappers/appointments.ts';
import { toCallDetailJson } from '../mappers/calls.ts';
import { iso } from '../mappers/iso.ts';
import { toMessageJson } from '../mappers/messages.ts';
import { toProspectJson } from '../mappers/prospects.ts';
import { findPersonRecords } from './person-records.ts';

const NONE = ['00000000-0000-0000-0000-000000000000'];

export async function exportPerson(
  { db, clock }: ServiceDeps,
  input: { organizationId: string; prospectId: string },
): Promise<PersonExport> {
  const { organizationId } = input;
  const person = await findPersonRecords(db, organizationId, { prospectId: input.prospectId });
  const prospect = person.prospects[0];
  if (!prospect) throw notFound('Prospect');
  const callIds = person.callIds.length ? person.callIds : NONE;
  const [org, callRows, segments, events, texts, meetings, listed] = await Promise.all([
    db
      .select({ id: organizations.id, name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, organizationId)),
    db
      .select()
      .from(calls)
      .where(and(eq(calls.organizationId, organizationId), inArray(calls.id, callIds)))
      .orderBy(asc(calls.createdAt)),
    db
      .select()
      .from(transcriptSegments)
      .where(
        and(
          eq(transcriptSegments.organizationId, organizationId),
          inArray(transcriptSegments.callId, callIds),
        ),
      )
      .orderBy(asc(transcriptSegments.atMs), asc(transcriptSegments.id)),
    db
      .select()
      .from(callEvents)
      .where(and(eq(callEvents.organizationId, organizationId), inArray(callEvents.callId, callIds)))
      .orderBy(asc(callEvents.atMs), asc(callEvents.id)),
    db
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.organizationId, organizationId),
          inArray(messages.id, person.messageIds.length ? person.messageIds : NONE),
        ),
      )
      .orderBy(asc(messages.createdAt)),
    db
      .select()
      .from(appointments)
      .where(
        and(
          eq(appointments.organizationId, organizationId),
          or(eq(appointments.prospectId, prospect.id), inArray(appointments.callId, callIds)),
        ),
      )
      .orderBy(asc(appointments.start)),
    db
      .select()
      .from(doNotCall)
      .where(and(eq(doNotCall.organizationId, organizationId), eq(doNotCall.phone, prospect.phone)))
      .limit(1),
  ]);
  const entry = listed[0];
  return {
    exportedAt: iso(clock()),
    organization: org[0]!,
    prospect: toProspectJson(prospect),
    calls: callRows.map((call) =>
      toCallDetailJson(
        call,
        segments.filter((s) => s.callId === call.id),
        events.filter((e) => e.callId === call.id),
      ),
    ),
    messages: texts.map(toMessageJson),
    appointments: meetings.map(toAppointmentJson),
    // Recordings the server stores itself will be listed here too (privacy/recording-files.ts).
    recordings: callRows.filter((c) => c.recordingUrl).map((c) => ({ callId: c.id, url: c.recordingUrl! })),
    doNotCall: {
      listed: entry !== undefined,
      since: entry ? iso(entry.createdAt) : null,
      source: entry?.source ?? null,
    },
  };
}
