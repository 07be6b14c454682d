/**
 * Time on a call's timeline: the one rule for the `atMs` of every event and transcript line
 * (docs/telephony.md "The call record").
 *
 * `atMs` counts milliseconds from the start of the call's timeline and never goes below the
 * latest `atMs` already recorded, so a timeline only moves forward, whichever process writes
 * it. Where the timeline is "now" is the later of that latest `atMs` and the time since the call
 * was answered (0 while it is not). A media stream takes that position once, when it is
 * admitted, and advances it with the clock (`StreamClock`): a first stream starts at 0, a
 * stream that resumes a call after a transfer continues after what is already recorded. A write
 * from outside a stream (a Twilio webhook) takes the position at the time of writing.
 */
import { callEvents, type DbOrTx, preparedQuery } from '@switchboard/db';
import { and, eq, max, sql } from 'drizzle-orm';
import type { CallRow } from '../mappers/calls.ts';

type TimelineCall = Pick<CallRow, 'id' | 'organizationId' | 'answeredAt'>;

/** The rule: the later of the latest recorded `atMs` and the time since the call was answered. */
export function timelinePosition(answeredAt: Date | null, latestAtMs: number | null, now: Date): number {
  const sinceAnswer = answeredAt ? Math.round(now.getTime() - answeredAt.getTime()) : 0;
  return Math.max(latestAtMs ?? 0, sinceAnswer, 0);
}

const latestAtMs = preparedQuery('timeline_latest_at_ms', (db, name) =>
  db
    .select({ atMs: max(callEvents.atMs) })
    .from(callEvents)
    .where(
      and(
        eq(callEvents.organizationId, sql.placeholder('organizationId')),
        eq(callEvents.callId, sql.placeholder('callId')),
      ),
    )
    .prepare(name),
);

/** Where the call's timeline is now, from what the database holds. */
export async function timelineNow(db: DbOrTx, call: TimelineCall, now: Date): Promise<number> {
  const [latest] = await latestAtMs(db).execute({ organizationId: call.organizationId, callId: call.id });
  return timelinePosition(call.answeredAt, latest?.atMs ?? null, now);
}

/** A running stream's position on the timeline: where it was when the stream was admitted, plus the time since. */
export class StreamClock {
  #startAtMs: number;
  #startedAt: number;
  #clock: () => Date;

  constructor(startAtMs: number, clock: () => Date) {
    this.#startAtMs = startAtMs;
    this.#clock = clock;
    this.#startedAt = clock().getTime();
  }

  now(): number {
    return this.#startAtMs + Math.max(0, this.#clock().getTime() - this.#startedAt);
  }
}
