/**
 * How a call ends: the one place that decides a call's final status, end reason, error and end
 * time (docs/telephony.md "The call record"). Every path that ends or fails a call comes here:
 * a media stream's session ending (recorder.ts), a failure (no setup, the model failed, Twilio
 * refused an outbound call), a stream Twilio reports lost (`stream-ended`), and Twilio's final
 * status callback. `endCall` is also where a call becomes final: post-call work starts there.
 */
import { calls } from '@switchboard/db';
import { type CallEndReason, type FinalCallStatus, isFinalCallStatus } from '@switchboard/shared';
import type { CallSessionEvents } from '@switchboard/voice';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { CallRow } from '../mappers/calls.ts';
import { startPostCall } from '../post-call/start-post-call.ts';
import { appendCallEvent } from './append-call-event.ts';
import { type CallValues, loadCall, type RecordDeps, updateCall } from './update-call.ts';

export type CallEnding =
  /** A media stream's conversation ended; `atMs` is where, on the timeline. */
  | { kind: 'session'; ended: CallSessionEvents['ended']; atMs: number }
  /** We could not go on with the call. */
  | { kind: 'failed'; reason: CallEndReason; message: string }
  /** Twilio ran the fallback after `<Connect>` although nobody ended the stream on purpose. */
  | { kind: 'stream_lost' }
  /** The carrier's final status: Twilio's status callback, or a SIP trunk's answer (sip/). */
  | { kind: 'twilio'; status: FinalCallStatus; durationS: number | null };

/** End reasons after which the media stream closing means "hang up", not "something broke". */
const DELIBERATE_ENDS = new Set<CallEndReason>([
  'agent_hangup',
  'max_duration',
  'silence_timeout',
  'transferred',
  'completed',
]);
/** Session end reasons that fail the call. */
const MODEL_FAILURES = new Set<CallEndReason>(['model_unavailable', 'model_disconnected']);

/** Whether a stream of this call ended on purpose (the stream-ended fallback then just hangs up). */
export function isDeliberateEnd(call: Pick<CallRow, 'endReason' | 'status'>): boolean {
  return call.endReason !== null && DELIBERATE_ENDS.has(call.endReason) && call.status !== 'failed';
}

/** What the call row becomes when the call ends this way (pure: the rules in one place). */
export function decideEnd(current: CallRow, ending: CallEnding, now: Date): CallValues {
  switch (ending.kind) {
    case 'failed':
      return {
        status: 'failed',
        endReason: ending.reason,
        error: ending.message,
        endedAt: current.endedAt ?? now,
      };
    case 'stream_lost':
      if (current.status === 'failed') return {};
      return {
        status: 'failed',
        endReason: current.endReason ?? 'stream_lost',
        error: current.error ?? 'media stream ended unexpectedly',
      };
    case 'twilio': {
      // A call we marked failed (the AI broke) stays failed when Twilio later reports `completed`.
      const failedByUs = current.status === 'failed' && current.error !== null;
      const values: CallValues = { endedAt: current.endedAt ?? now };
      if (!failedByUs) values.status = ending.status;
      if (ending.durationS !== null) values.durationS = ending.durationS;
      if (!current.endReason) values.endReason = ending.status;
      // An outbound call nobody picked up: the outcome is the disposition (no_answer, busy, failed, canceled).
      if (
        current.direction === 'outbound' &&
        !current.disposition &&
        !current.answeredAt &&
        ending.status !== 'completed'
      )
        values.disposition =
          ending.status === 'busy' || ending.status === 'failed' ? ending.status : 'no_answer';
      return values;
    }
    case 'session': {
      const { ended } = ending;
      // A transferred call goes on without us: Twilio's status callback records its real end.
      if (ended.reason === 'transferred') {
        return { endReason: keptEndReason(current) ?? 'transferred' };
      }
      const failed = MODEL_FAILURES.has(ended.reason);
      return {
        status: isFinalCallStatus(current.status) ? current.status : failed ? 'failed' : 'completed',
        endedAt: current.endedAt ?? now,
        durationS: current.durationS ?? Math.round(ending.atMs / 1000),
        endReason: keptEndReason(current) ?? ended.reason,
        error: failed ? (current.error ?? `model: ${ended.detail ?? ended.reason}`) : current.error,
      };
    }
  }
}

/** End reasons that describe an earlier part of the call, not how this stream's conversation ended. */
const EARLIER_PARTS = new Set<CallEndReason>(['completed', 'transferred']);

/**
 * A reason recorded before the end (agent hang-up, voicemail) wins over the session's. A
 * transfer does not: a stream that runs after one resumed the call (nobody answered), whether
 * its outcome or the transferred stream's record was written first.
 */
function keptEndReason(current: CallRow): CallEndReason | null {
  return current.endReason && !EARLIER_PARTS.has(current.endReason) ? current.endReason : null;
}

/**
 * Ends the call this way: writes the decision (with `also`, e.g. the usage of the stream that
 * ended) and its timeline event (`failed`, `ended` or `stream_ended`). `atMs` is the running
 * stream's position when there is one. `current`: the row as the caller just read it, to decide
 * from without reading it again (if it has changed since, the conditional write fails and the row
 * is read again, as for any race). Resolves with the row, or null when the call is gone.
 */
export async function endCall(
  deps: RecordDeps,
  call: Pick<CallRow, 'id' | 'organizationId'>,
  ending: CallEnding,
  options: { also?: CallValues; atMs?: number; current?: CallRow } = {},
): Promise<CallRow | null> {
  const written = await writeEnd(deps, call, ending, options.also, options.current);
  if (!written) return null;
  const { current, row } = written;
  if (ending.kind === 'failed') {
    await appendCallEvent(
      deps,
      row,
      { type: 'failed', data: { reason: ending.reason, message: ending.message } },
      options.atMs,
    );
  } else if (ending.kind === 'session') {
    const { reason, detail } = ending.ended;
    const type = reason === 'transferred' ? 'stream_ended' : 'ended';
    await appendCallEvent(deps, row, { type, data: { reason, detail } }, options.atMs);
  }
  // Post-call work (cost, analysis, customer webhooks) starts when the call just became final.
  if (!isFinalCallStatus(current.status) && isFinalCallStatus(row.status)) await postCall(deps, row);
  return row;
}

/** Attempts at deciding and writing the end before giving up to a write that keeps winning. */
const END_ATTEMPTS = 5;

/**
 * Decides the end from the row as it is and writes it in one conditional statement: only if
 * the row is still the one the decision was made from (same status, same `updatedAt`). When
 * another write got there first (a status callback, the recorder, another process), the row is
 * read again and the end decided again — so a final status is never replaced by a stale decision
 * and a newer value is never clobbered.
 */
async function writeEnd(
  deps: RecordDeps,
  call: Pick<CallRow, 'id' | 'organizationId'>,
  ending: CallEnding,
  also: CallValues | undefined,
  known: CallRow | undefined,
): Promise<{ current: CallRow; row: CallRow } | null> {
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && known ? known : await loadCall(deps.db, call);
    if (!current) return null;
    const values = { ...also, ...decideEnd(current, ending, deps.clock()) };
    const row = await updateCall(deps, current, values, unchangedSince(current));
    if (row) return { current, row };
    if (attempt >= END_ATTEMPTS) {
      deps.log?.warn({ callId: current.id }, 'call end not written: the call kept changing');
      return null;
    }
  }
}

/** The row has not been written since `current` was read (timestamps compared to the millisecond). */
export function unchangedSince(current: Pick<CallRow, 'status' | 'updatedAt'>): SQL {
  return and(
    eq(calls.status, current.status),
    sql`date_trunc('milliseconds', ${calls.updatedAt}) = ${current.updatedAt.toISOString()}::timestamptz`,
  ) as SQL;
}

/** Starts the post-call work; a failure is logged and never undoes the call's end. */
async function postCall(deps: RecordDeps, row: CallRow): Promise<void> {
  const { jobs, config, log } = deps;
  if (!jobs || !config || !log) return;
  await startPostCall({ ...deps, jobs, config, log }, row).catch((error: unknown) =>
    log.error({ err: error, callId: row.id }, 'post-call work could not start'),
  );
}

/**
 * Records why the call is about to end before it does (an agent hang-up, a voicemail or fax
 * handled by Twilio, a transfer answered), so the stream closing next counts as deliberate;
 * null clears it (a transfer nobody answered: the call goes on).
 */
export function markEndReason(
  deps: RecordDeps,
  call: Pick<CallRow, 'id' | 'organizationId'>,
  endReason: CallEndReason | null,
  disposition?: string,
  onlyIf?: SQL,
): Promise<CallRow | null> {
  return updateCall(deps, call, { endReason, ...(disposition ? { disposition } : {}) }, onlyIf);
}
