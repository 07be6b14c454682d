/**
 * Retention from the business profile: transcripts (segments and the summary made from them)
 * and recordings (the link and the server's files) of calls that ended more than N days ago are
 * deleted. `dryRun` counts what would go without touching anything: the settings page's preview,
 * also with day counts not saved yet. Runs daily for every organization (retention-job.ts).
 */
import { calls, organizations, transcriptSegments } from '@switchboard/db';
import type { RetentionReport } from '@switchboard/shared';
import { and, eq, exists, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { iso } from '../mappers/iso.ts';
import { recordAudit } from '../services/record-audit.ts';
import { deleteRecordingFiles, recordedCallIds } from './recording-files.ts';

const DAY_MS = 86_400_000;

export interface RetentionInput {
  organizationId: string;
  dryRun: boolean;
  /** Day counts to use instead of the saved ones (preview of unsaved settings). */
  recordingsDays?: number | null | undefined;
  transcriptsDays?: number | null | undefined;
}

/** When a call counts as over: its end, or its creation when it never ended. */
const callTime = sql`coalesce(${calls.endedAt}, ${calls.createdAt})`;

export async function enforceRetention(
  deps: ServiceDeps & { dataDir: string },
  input: RetentionInput,
): Promise<RetentionReport> {
  const { db } = deps;
  const { organizationId } = input;
  const [org] = await db
    .select({
      recordings: organizations.recordingsRetentionDays,
      transcripts: organizations.transcriptsRetentionDays,
    })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  const recordingsDays =
    input.recordingsDays !== undefined ? input.recordingsDays : (org?.recordings ?? null);
  const transcriptsDays =
    input.transcriptsDays !== undefined ? input.transcriptsDays : (org?.transcripts ?? null);
  const now = deps.clock().getTime();
  const report: RetentionReport = {
    dryRun: input.dryRun,
    recordingsDays,
    transcriptsDays,
    transcripts: { calls: 0, segments: 0, before: null },
    recordings: { calls: 0, files: 0, before: null },
  };

  if (transcriptsDays) {
    const before = new Date(now - transcriptsDays * DAY_MS);
    report.transcripts.before = iso(before);
    // Subqueries rather than id lists: an organization may have many thousands of old calls.
    const old = and(eq(calls.organizationId, organizationId), lt(callTime, before));
    const oldCalls = db.select({ id: calls.id }).from(calls).where(old);
    const segments = and(
      eq(transcriptSegments.organizationId, organizationId),
      inArray(transcriptSegments.callId, oldCalls),
    );
    const hasSegments = exists(
      db.select({ one: sql`1` }).from(transcriptSegments).where(eq(transcriptSegments.callId, calls.id)),
    );
    report.transcripts.calls = await db.$count(calls, and(old, or(isNotNull(calls.summary), hasSegments)));
    report.transcripts.segments = await db.$count(transcriptSegments, segments);
    if (!input.dryRun && report.transcripts.calls > 0) {
      await db.delete(transcriptSegments).where(segments);
      await db
        .update(calls)
        .set({ summary: null })
        .where(and(old, isNotNull(calls.summary)));
    }
  }

  if (recordingsDays) {
    const before = new Date(now - recordingsDays * DAY_MS);
    report.recordings.before = iso(before);
    const old = and(eq(calls.organizationId, organizationId), lt(callTime, before));
    const linked = and(old, isNotNull(calls.recordingUrl));
    report.recordings.calls = await db.$count(calls, linked);
    // Files: start from what is on disk (usually nothing), keep those of old calls.
    const stored = await recordedCallIds(deps.dataDir, organizationId);
    const expired: string[] = [];
    for (let i = 0; i < stored.length; i += 1000) {
      const rows = await db
        .select({ id: calls.id })
        .from(calls)
        .where(and(old, inArray(calls.id, stored.slice(i, i + 1000))));
      expired.push(...rows.map((r) => r.id));
    }
    report.recordings.files = input.dryRun
      ? expired.length
      : await deleteRecordingFiles(deps.dataDir, organizationId, expired);
    if (!input.dryRun) {
      // The server's own recordings: the call no longer points at a file.
      const keyed = and(old, isNotNull(calls.recordingKey));
      await db.update(calls).set({ recordingKey: null }).where(keyed);
    }
    if (!input.dryRun && report.recordings.calls > 0) {
      await db.update(calls).set({ recordingUrl: null }).where(linked);
    }
  }

  const removed = report.transcripts.calls + report.recordings.calls + report.recordings.files;
  if (!input.dryRun && removed > 0) {
    await recordAudit(deps, {
      organizationId,
      action: 'retention.enforce',
      details: { transcripts: report.transcripts, recordings: report.recordings },
    });
  }
  return report;
}

/** Every organization with a retention setting, enforced one after another. */
export async function enforceRetentionEverywhere(
  deps: ServiceDeps & { dataDir: string },
): Promise<RetentionReport[]> {
  const orgs = await deps.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(
      or(isNotNull(organizations.recordingsRetentionDays), isNotNull(organizations.transcriptsRetentionDays)),
    );
  const reports: RetentionReport[] = [];
  for (const org of orgs) {
    try {
      reports.push(await enforceRetention(deps, { organizationId: org.id, dryRun: false }));
    } catch (error) {
      deps.log.error({ err: error, organizationId: org.id }, 'retention failed for an organization');
    }
  }
  return reports;
}
