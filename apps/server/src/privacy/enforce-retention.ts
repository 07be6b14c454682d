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
import { countRecordingFiles, deleteRecordingFiles } from './recording-files.ts';

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
    const old = and(eq(calls.organizationId, organizationId), lt(callTime, before));
    const withText = await db
      .select({ id: calls.id })
      .from(calls)
      .where(
        and(
          old,
          or(
            isNotNull(calls.summary),
            exists(
              db
                .select({ one: sql`1` })
                .from(transcriptSegments)
                .where(eq(transcriptSegments.callId, calls.id)),
            ),
          ),
        ),
      );
    const ids = withText.map((c) => c.id);
    report.transcripts.calls = ids.length;
    if (ids.length) {
      const inScope = and(
        eq(transcriptSegments.organizationId, organizationId),
        inArray(transcriptSegments.callId, ids),
      );
      if (input.dryRun) report.transcripts.segments = await db.$count(transcriptSegments, inScope);
      else {
        report.transcripts.segments = (
          await db.delete(transcriptSegments).where(inScope).returning({ id: transcriptSegments.id })
        ).length;
        await db.update(calls).set({ summary: null }).where(inArray(calls.id, ids));
      }
    }
  }

  if (recordingsDays) {
    const before = new Date(now - recordingsDays * DAY_MS);
    report.recordings.before = iso(before);
    const old = await db
      .select({ id: calls.id, linked: isNotNull(calls.recordingUrl) })
      .from(calls)
      .where(and(eq(calls.organizationId, organizationId), lt(callTime, before)));
    const ids = old.map((c) => c.id);
    const files = input.dryRun
      ? await countRecordingFiles(deps.dataDir, organizationId, ids)
      : await deleteRecordingFiles(deps.dataDir, organizationId, ids);
    const linked = old.filter((c) => c.linked).map((c) => c.id);
    report.recordings.files = files;
    report.recordings.calls = linked.length;
    if (!input.dryRun && linked.length)
      await db.update(calls).set({ recordingUrl: null }).where(inArray(calls.id, linked));
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
