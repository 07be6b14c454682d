import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DbOrTx } from '@switchboard/db';
import { prospects } from '@switchboard/db';
import type { ImportResult } from '@switchboard/shared';
import { and, eq, inArray } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { lockOrganization } from '../sql.ts';
import { insertProspectRows } from './prospect-import-insert.ts';
import { planImportInSlices } from './prospect-import-plan.ts';
import { type ImportCandidate, timeSlicer, validateImportRows } from './prospect-import-rows.ts';

export interface ImportProspectsInput {
  organizationId: string;
  rows: Record<string, unknown>[];
  onDuplicate: 'skip' | 'update';
  /** `source` for rows that have no source column. */
  source: string;
  /** Validate and predict (counts, errors, duplicates) without writing anything. */
  dryRun?: boolean;
}

/**
 * Phones per duplicate lookup (with PGLITE_THREAD=main, PGlite runs every query on the event
 * loop; Drizzle builds a 250-phone lookup in ≈ 0.5–1.5 ms on the server's thread).
 */
const LOOKUP_CHUNK = 250;
/** Work on the server's thread between two yields to the event loop, ms (live calls' audio must not wait). */
const SLICE_MS = 2;
/** Target length of one INSERT, ms (with PGLITE_THREAD=main the database runs on the event loop too). */
const INSERT_MS = 8;
/**
 * Rows per INSERT: the first chunk has INSERT_FIRST rows, each next one is sized from the time
 * the last one took so that one INSERT lasts about INSERT_MS (on PGlite a prospect row costs
 * 0.1–0.7 ms with its indexes, depending on the machine's load), within INSERT_MIN…INSERT_MAX.
 * The server's thread only serializes the rows as JSON (`insertProspectRows`, ≈ 1 µs a row).
 */
const INSERT_FIRST = 50;
const INSERT_MIN = 20;
const INSERT_MAX = 500;

async function existingPhones(
  db: DbOrTx,
  organizationId: string,
  candidates: ImportCandidate[],
): Promise<Map<string, string>> {
  const phones = [...new Set(candidates.map((c) => c.data.phone))];
  const ids = new Map<string, string>();
  for (let i = 0; i < phones.length; i += LOOKUP_CHUNK) {
    if (i > 0) await yieldToEventLoop();
    const existing = await db
      .select({ id: prospects.id, phone: prospects.phone })
      .from(prospects)
      .where(
        and(
          eq(prospects.organizationId, organizationId),
          inArray(prospects.phone, phones.slice(i, i + LOOKUP_CHUNK)),
        ),
      );
    for (const p of existing) ids.set(p.phone, p.id);
  }
  return ids;
}

/**
 * Imports rows parsed from a CSV by the dashboard. Every row is validated on its own (errors
 * name the 1-based row number and the field) and either applied completely or not at all; valid
 * rows are imported even when others fail. A phone number the organization already has (or that
 * appeared earlier in the file) is skipped or updated per `onDuplicate` (`planImport`). Writes
 * run in one transaction under the organization lock, so a failure leaves nothing half-imported
 * and concurrent imports cannot create duplicates. Validation and planning yield to the event
 * loop after every SLICE_MS of work; the writes go in chunks (INSERTs sized to last about
 * INSERT_MS, LOOKUP_CHUNK phones per lookup) with a yield between two, so a large file never
 * stalls the audio of live calls.
 * With `dryRun` nothing is written: the answer predicts what the import would do and lists
 * the duplicate rows (`duplicates`, only in a dry run, so the import's answer keeps its shape).
 */
export async function importProspects(deps: ServiceDeps, input: ImportProspectsInput): Promise<ImportResult> {
  const { candidates, errors } = await validateImportRows(
    deps,
    input.organizationId,
    input.rows,
    input.source,
  );
  const result: ImportResult = { created: 0, updated: 0, skipped: 0, errors };
  if (input.dryRun) {
    const plan = await planImportInSlices(
      candidates,
      await existingPhones(deps.db, input.organizationId, candidates),
      input.onDuplicate,
      timeSlicer(SLICE_MS),
    );
    return { ...result, ...plan.counts, duplicates: plan.duplicates, dryRun: true };
  }
  if (candidates.length === 0) return result;

  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    const plan = await planImportInSlices(
      candidates,
      await existingPhones(tx, input.organizationId, candidates),
      input.onDuplicate,
      timeSlicer(SLICE_MS),
    );
    Object.assign(result, plan.counts);
    const rows = [...plan.toCreate.values()];
    let size = INSERT_FIRST;
    for (let i = 0; i < rows.length; ) {
      if (i > 0) await yieldToEventLoop();
      const startedAt = performance.now();
      const chunk = rows.slice(i, i + size);
      await insertProspectRows(tx, input.organizationId, chunk);
      i += chunk.length;
      const msPerRow = (performance.now() - startedAt) / chunk.length;
      size = Math.max(INSERT_MIN, Math.min(INSERT_MAX, Math.floor(INSERT_MS / Math.max(msPerRow, 0.001))));
    }
    const slice = timeSlicer(SLICE_MS);
    for (const [id, patch] of plan.toUpdate) {
      await slice();
      await tx
        .update(prospects)
        .set({ ...patch, updatedAt: now })
        .where(and(eq(prospects.organizationId, input.organizationId), eq(prospects.id, id)));
    }
  });
  deps.log.info(
    {
      created: result.created,
      updated: result.updated,
      skipped: result.skipped,
      errors: result.errors.length,
    },
    'prospects imported',
  );
  return result;
}
