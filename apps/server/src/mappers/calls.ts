import type { callEvents, calls, transcriptSegments } from '@switchboard/db';
import type { Call, CallDetail, CallEvent, TranscriptSegment } from '@switchboard/shared';
import { iso, isoOrNull } from './iso.ts';

export type CallRow = typeof calls.$inferSelect;
export type TranscriptSegmentRow = typeof transcriptSegments.$inferSelect;
export type CallEventRow = typeof callEvents.$inferSelect;

export function toCallJson(row: CallRow): Call {
  return {
    id: row.id,
    direction: row.direction,
    channel: row.channel,
    from: row.from,
    to: row.to,
    status: row.status,
    providerCallSid: row.providerCallSid,
    agentId: row.agentId,
    prospectId: row.prospectId,
    campaignId: row.campaignId,
    startedAt: isoOrNull(row.startedAt),
    answeredAt: isoOrNull(row.answeredAt),
    endedAt: isoOrNull(row.endedAt),
    durationS: row.durationS,
    endReason: row.endReason,
    answeredBy: row.answeredBy,
    summary: row.summary,
    disposition: row.disposition,
    usage: row.usage,
    // numeric(12,6) comes back from the driver as a string.
    costUsd: row.costUsd === null ? null : Number(row.costUsd),
    latency: row.latency,
    // The server's own recording when there is one (GET /api/calls/:id/recording), else Twilio's.
    recordingUrl: row.recordingKey ? `/api/calls/${row.id}/recording` : row.recordingUrl,
    error: row.error,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    analysisStatus: row.analysisStatus,
    analysisError: row.analysisError,
    extraction: row.extraction,
    cost: row.cost,
  };
}

export function toTranscriptSegmentJson(row: TranscriptSegmentRow): TranscriptSegment {
  return { role: row.role, text: row.text, atMs: row.atMs };
}

export function toCallEventJson(row: CallEventRow): CallEvent {
  return { id: row.id, type: row.type, atMs: row.atMs, data: row.data, createdAt: iso(row.createdAt) };
}

export function toCallDetailJson(
  row: CallRow,
  transcript: TranscriptSegmentRow[],
  events: CallEventRow[],
): CallDetail {
  return {
    ...toCallJson(row),
    transcript: transcript.map(toTranscriptSegmentJson),
    events: events.map(toCallEventJson),
  };
}
