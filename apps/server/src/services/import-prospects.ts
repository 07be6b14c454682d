import { performance } from 'node:perf_hooks';
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

/** Phones per duplicate lookup (PGlite runs every query on the event loop). */
const LOOKUP_CHUNK = 500;
/** Work between two yields to the event loop, ms (live calls' audio must not wait). */
const SLICE_MS = 8;
/**
 * Rows per INSERT: the first chunk has INSERT_FIRST rows, each next one is sized from the time
 * the last one took so that one INSERT lasts about SLICE_MS (on PGlite a prospect row costs
 * 0.1–0.7 ms with its indexes, depending on the machine's load), within INSERT_MIN…INSERT_MAX.
 */
const INSERT_FIRST = 50;
const INSERT_MIN = 20;
const INSERT_MAX = 500;

/** Yields to the event loop once `SLICE_MS` of work has run since the last yield. */
function slicer(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await yieldToEventLoop();
    since = performance.now();
  };
}

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
 * Validation yields to the event loop after every SLICE_MS of work, and the writes go in chunks
 * (INSERTs sized to last about SLICE_MS, LOOKUP_CHUNK phones) with a yield between two, so a large file never
 * stalls the audio of live calls; a cell with a NUL byte or an unpaired surrogate fails its row
 * only.
 */
export async function importProspects(deps: ServiceDeps, input: ImportProspectsInput): Promise<ImportResult> {
  const result: ImportResult = { created: 0, updated: 0, skipped: 0, errors: [] };
  const candidates: Candidate[] = [];
  const country = await phoneCountryOf(deps.db, input.organizationId);
  const slice = slicer();
  for (const [index, raw] of input.rows.entries()) {
    await slice();
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
    const existingIds = new Map<string, string>();
    for (let i = 0; i < phones.length; i += LOOKUP_CHUNK) {
      if (i > 0) await yieldToEventLoop();
      const existing = await tx
        .select({ id: prospects.id, phone: prospects.phone })
        .from(prospects)
        .where(
          and(
            eq(prospects.organizationId, input.organizationId),
            inArray(prospects.phone, phones.slice(i, i + LOOKUP_CHUNK)),
          ),
        );
      for (const p of existing) existingIds.set(p.phone, p.id);
    }
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
    let size = INSERT_FIRST;
    for (let i = 0; i < rows.length; ) {
      if (i > 0) await yieldToEventLoop();
      const startedAt = performance.now();
      const chunk = rows.slice(i, i + size);
      await tx.insert(prospects).values(chunk);
      i += chunk.length;
      const msPerRow = (performance.now() - startedAt) / chunk.length;
      size = Math.max(INSERT_MIN, Math.min(INSERT_MAX, Math.floor(SLICE_MS / Math.max(msPerRow, 0.001))));
    }
    result.created = rows.length;
    for (const [id, patch] of toUpdate) {
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
