/**
 * `POST /api/privacy/erase {phone | email}`: removes a person from the organization. Deleted:
 * their prospects, the transcripts of their calls, every text to or from them, their
 * appointments (cancelled in Google Calendar too), their do-not-call entry and the recordings of
 * their calls. Their calls stay as anonymous metrics (direction, status, duration, cost, latency,
 * timing events) with numbers, summary, recording link and errors cleared. Then every kept text or
 * JSON column of the organization that still spells their number or email is scrubbed (someone
 * else's transcript, a tool call's arguments). One transaction; audited without personal data.
 */
import {
  appointments,
  callEvents,
  calls,
  doNotCall,
  messages,
  prospects,
  transcriptSegments,
} from '@switchboard/db';
import type { CallEventType } from '@switchboard/shared';
import { and, eq, inArray, notInArray, or } from 'drizzle-orm';
import { openOrgCalendar } from '../calendar/org-calendar.ts';
import type { Config } from '../config.ts';
import type { ServiceDeps } from '../context.ts';
import { notFound } from '../errors.ts';
import type { IntegrationDeps } from '../integrations/settings.ts';
import { findPersonRecords } from './person-records.ts';
import { deleteRecordingFiles } from './recording-files.ts';
import { identifierLiterals, scrubIdentifiers } from './scrub.ts';

/** Call events that carry only timing and quality figures: kept on an erased call. */
export const ANONYMOUS_EVENT_TYPES: CallEventType[] = ['connected', 'turn_latency', 'barge_in', 'amd'];

/** inArray needs at least one value: a list that matches nothing stands for "none". */
const orNone = (ids: string[]) => (ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);

export type EraseDeps = ServiceDeps & Omit<IntegrationDeps, 'db' | 'log'> & { config: Config };

export interface EraseResult {
  prospects: number;
  calls: number;
  transcriptSegments: number;
  callEvents: number;
  messages: number;
  appointments: number;
  doNotCall: number;
  recordingFiles: number;
  scrubbedRows: number;
  calendarEventsCancelled: number;
  calendarEventsFailed: number;
}

export async function erasePerson(
  deps: EraseDeps,
  input: { organizationId: string; phone?: string | undefined; email?: string | undefined },
): Promise<EraseResult> {
  const { organizationId } = input;
  const { result, externalIds } = await deps.db
    .transaction(async (tx) => {
      const person = await findPersonRecords(tx, organizationId, input);
      const prospectIds = person.prospects.map((p) => p.id);
      if (!prospectIds.length && !person.callIds.length && !person.messageIds.length) {
        throw notFound('Nobody with this phone number or email');
      }
      const ofCalls = orNone(person.callIds);
      const ofProspects = orNone(prospectIds);

      const segments = await tx
        .delete(transcriptSegments)
        .where(
          and(
            eq(transcriptSegments.organizationId, organizationId),
            inArray(transcriptSegments.callId, ofCalls),
          ),
        )
        .returning({ id: transcriptSegments.id });
      const events = await tx
        .delete(callEvents)
        .where(
          and(
            eq(callEvents.organizationId, organizationId),
            inArray(callEvents.callId, ofCalls),
            notInArray(callEvents.type, ANONYMOUS_EVENT_TYPES),
          ),
        )
        .returning({ id: callEvents.id });
      await tx
        .update(calls)
        .set({
          from: '',
          to: '',
          summary: null,
          recordingUrl: null,
          recordingKey: null,
          error: null,
          providerCallSid: null,
          prospectId: null,
        })
        .where(and(eq(calls.organizationId, organizationId), inArray(calls.id, ofCalls)));
      const texts = await tx
        .delete(messages)
        .where(
          and(eq(messages.organizationId, organizationId), inArray(messages.id, orNone(person.messageIds))),
        )
        .returning({ id: messages.id });
      const meetings = await tx
        .delete(appointments)
        .where(
          and(
            eq(appointments.organizationId, organizationId),
            or(inArray(appointments.prospectId, ofProspects), inArray(appointments.callId, ofCalls)),
          ),
        )
        .returning({ externalId: appointments.externalId, status: appointments.status });
      const listed = person.phones.length
        ? await tx
            .delete(doNotCall)
            .where(and(eq(doNotCall.organizationId, organizationId), inArray(doNotCall.phone, person.phones)))
            .returning({ id: doNotCall.id })
        : [];
      await tx
        .delete(prospects)
        .where(and(eq(prospects.organizationId, organizationId), inArray(prospects.id, ofProspects)));
      const scrubbedRows = await scrubIdentifiers(
        tx,
        organizationId,
        identifierLiterals(person.phones, person.emails),
      );
      return {
        callIds: person.callIds,
        externalIds: meetings
          .filter((m) => m.externalId && m.status === 'confirmed')
          .map((m) => m.externalId!),
        result: {
          prospects: prospectIds.length,
          calls: person.callIds.length,
          transcriptSegments: segments.length,
          callEvents: events.length,
          messages: texts.length,
          appointments: meetings.length,
          doNotCall: listed.length,
          recordingFiles: 0,
          scrubbedRows,
          calendarEventsCancelled: 0,
          calendarEventsFailed: 0,
        } satisfies EraseResult,
      };
    })
    .then(async (done) => {
      // Recordings: files the server stored for these calls (see privacy/recording-files.ts).
      done.result.recordingFiles = await deleteRecordingFiles(
        deps.config.dataDir,
        organizationId,
        done.callIds,
      );
      return done;
    });
  await cancelCalendarEvents(deps, organizationId, externalIds, result);
  return result;
}

/** Best effort: the local rows are gone either way; a Google failure is counted and logged. */
async function cancelCalendarEvents(
  deps: EraseDeps,
  organizationId: string,
  externalIds: string[],
  result: EraseResult,
): Promise<void> {
  if (!externalIds.length) return;
  const calendar = await openOrgCalendar(deps, organizationId);
  for (const id of externalIds) {
    try {
      await calendar.external?.cancelEvent(id);
      result.calendarEventsCancelled += calendar.external ? 1 : 0;
    } catch (error) {
      result.calendarEventsFailed++;
      deps.log.warn({ err: error, organizationId }, 'erase: calendar event could not be cancelled');
    }
  }
}
