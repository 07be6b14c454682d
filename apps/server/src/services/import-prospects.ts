import type { DbOrTx } from '@switchboard/db';
import { prospects } from '@switchboard/db';
import type { ImportResult } from '@switchboard/shared';
import { and, eq, inArray } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { lockOrganization } from '../sql.ts';
import { planImport } from './prospect-import-plan.ts';
import { type ImportCandidate, validateImportRows } from './prospect-import-rows.ts';

export interface ImportProspectsInput {
  organizationId: string;
  rows: Record<string, unknown>[];
  onDuplicate: 'skip' | 'update';
  /** `source` for rows that have no source column. */
  source: string;
  /** Validate and predict (counts, errors, duplicates) without writing anything. */
  dryRun?: boolean;
}

const INSERT_CHUNK = 500;

async function existingPhones(
  db: DbOrTx,
  organizationId: string,
  candidates: ImportCandidate[],
): Promise<Map<string, string>> {
  const phones = [...new Set(candidates.map((c) => c.data.phone))];
  if (phones.length === 0) return new Map();
  const existing = await db
    .select({ id: prospects.id, phone: prospects.phone })
    .from(prospects)
    .where(and(eq(prospects.organizationId, organizationId), inArray(prospects.phone, phones)));
  return new Map(existing.map((p) => [p.phone, p.id]));
}

/**
 * Imports rows parsed from a CSV by the dashboard. Every row is validated on its own (errors
 * name the 1-based row number and the field) and either applied completely or not at all; valid
 * rows are imported even when others fail. A phone number the organization already has (or that
 * appeared earlier in the file) is skipped or updated per `onDuplicate` (`planImport`). Writes run in one transaction under the organization lock,
 * so a failure leaves nothing half-imported and concurrent imports cannot create duplicates.
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
    const plan = planImport(
      candidates,
      await existingPhones(deps.db, input.organizationId, candidates),
      input.onDuplicate,
    );
    return { ...result, ...plan.counts, duplicates: plan.duplicates, dryRun: true };
  }
  if (candidates.length === 0) return result;

  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    const plan = planImport(
      candidates,
      await existingPhones(tx, input.organizationId, candidates),
      input.onDuplicate,
    );
    Object.assign(result, plan.counts);
    const rows = [...plan.toCreate.values()].map((data) => ({
      ...data,
      organizationId: input.organizationId,
      email: data.email ?? null,
      timezone: data.timezone ?? null,
    }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await tx.insert(prospects).values(rows.slice(i, i + INSERT_CHUNK));
    }
    for (const [id, patch] of plan.toUpdate) {
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
