import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { prospects } from '@switchboard/db';
import { createProspectSchema, type ImportField, type ImportResult, toE164 } from '@switchboard/shared';
import { and, eq, inArray } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { isSafeString } from '../http/safe-strings.ts';
import { lockOrganization } from '../sql.ts';
import { toIssues } from '../validation.ts';
import type { CreateProspectData } from './create-prospect.ts';
import { phoneCountryOf } from './get-business-profile.ts';
import { mapImportRow } from './prospect-import-columns.ts';

export interface ImportProspectsInput {
  organizationId: string;
  rows: Record<string, unknown>[];
  onDuplicate: 'skip' | 'update';
  /** `source` for rows that have no source column. */
  source: string;
}

interface Candidate {
  data: CreateProspectData;
  /** Fields the row actually had: an update touches only these. */
  present: ImportField[];
}

const INSERT_CHUNK = 500;
/** Rows validated between two yields to the event loop (live calls' audio must not wait). */
const VALIDATE_CHUNK = 100;

function pick(data: CreateProspectData, fields: ImportField[]): Partial<CreateProspectData> {
  return Object.fromEntries(fields.map((field) => [field, data[field]]));
}

/**
 * Imports rows parsed from a CSV by the dashboard. Every row is validated on its own (errors
 * name the 1-based row number and the field) and either applied completely or not at all; valid
 * rows are imported even when others fail. A phone number the organization already has (or that
 * appeared earlier in the file) is skipped or updated per `onDuplicate`; an update changes only
 * the columns the row filled in. Writes run in one transaction under the organization lock, so a
 * failure leaves nothing half-imported and concurrent imports cannot create duplicates.
 * Validation yields to the event loop every VALIDATE_CHUNK rows, so a large file never stalls
 * the audio of live calls; a cell with a NUL byte or an unpaired surrogate fails its row only.
 */
export async function importProspects(deps: ServiceDeps, input: ImportProspectsInput): Promise<ImportResult> {
  const result: ImportResult = { created: 0, updated: 0, skipped: 0, errors: [] };
  const candidates: Candidate[] = [];
  const country = await phoneCountryOf(deps.db, input.organizationId);
  for (const [index, raw] of input.rows.entries()) {
    if (index > 0 && index % VALIDATE_CHUNK === 0) await yieldToEventLoop();
    const row = index + 1;
    const unsafe = Object.entries(raw ?? {}).find(([, v]) => typeof v === 'string' && !isSafeString(v));
    if (unsafe) {
      result.errors.push({
        row,
        field: unsafe[0],
        message: 'must not contain NUL bytes or unpaired surrogates',
      });
      continue;
    }
    const { values, invalid } = mapImportRow(raw);
    for (const problem of invalid) result.errors.push({ row, ...problem });
    if (invalid.length) continue;
    if (values.phone === undefined) {
      result.errors.push({ row, field: 'phone', message: 'is required (no phone column or empty cell)' });
      continue;
    }
    const parsed = createProspectSchema.safeParse({ source: input.source, ...values });
    if (!parsed.success) {
      for (const issue of toIssues(parsed.error)) {
        result.errors.push({ row, field: issue.path, message: issue.message });
      }
      continue;
    }
    const phone = toE164(parsed.data.phone, country);
    if (!phone) {
      result.errors.push({
        row,
        field: 'phone',
        message: `is not a valid phone number (nor a local ${country} one)`,
      });
      continue;
    }
    candidates.push({ data: { ...parsed.data, phone }, present: Object.keys(values) as ImportField[] });
  }
  if (candidates.length === 0) return result;

  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    const phones = [...new Set(candidates.map((c) => c.data.phone))];
    const existing = await tx
      .select({ id: prospects.id, phone: prospects.phone })
      .from(prospects)
      .where(and(eq(prospects.organizationId, input.organizationId), inArray(prospects.phone, phones)));
    const existingIds = new Map(existing.map((p) => [p.phone, p.id]));
    const toCreate = new Map<string, CreateProspectData>();
    const toUpdate = new Map<string, Partial<CreateProspectData>>();

    for (const { data, present } of candidates) {
      const existingId = existingIds.get(data.phone);
      const pending = toCreate.get(data.phone);
      if (existingId === undefined && pending === undefined) {
        toCreate.set(data.phone, data);
      } else if (input.onDuplicate === 'skip') {
        result.skipped++;
      } else if (pending) {
        Object.assign(pending, pick(data, present));
        result.updated++;
      } else {
        toUpdate.set(existingId!, { ...toUpdate.get(existingId!), ...pick(data, present) });
        result.updated++;
      }
    }

    const rows = [...toCreate.values()].map((data) => ({
      ...data,
      organizationId: input.organizationId,
      email: data.email ?? null,
      timezone: data.timezone ?? null,
    }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await tx.insert(prospects).values(rows.slice(i, i + INSERT_CHUNK));
    }
    result.created = rows.length;
    for (const [id, patch] of toUpdate) {
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
