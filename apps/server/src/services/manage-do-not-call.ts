/** The do-not-call list through the API: list, add (manual/api), remove, and CSV import (docs/campaigns.md). */
import { doNotCall } from '@switchboard/db';
import type { DoNotCallEntry } from '@switchboard/shared';
import { and, desc, eq, like } from 'drizzle-orm';
import Papa from 'papaparse';
import type { ServiceDeps } from '../context.ts';
import { notFound, validationFailed } from '../errors.ts';
import { containsPattern } from '../sql.ts';
import { phoneCountryOf } from './get-business-profile.ts';
import { normalizePhone } from './normalize-phone.ts';

type Row = typeof doNotCall.$inferSelect;
const MAX_IMPORT_ROWS = 50_000;

export function toDoNotCallJson(row: Row): DoNotCallEntry {
  return {
    id: row.id,
    phone: row.phone,
    reason: row.reason,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listDoNotCall(
  deps: ServiceDeps,
  input: { organizationId: string; q?: string | undefined; limit: number; offset: number },
): Promise<{ items: Row[]; total: number }> {
  const digits = input.q?.replace(/\D/g, '');
  const where = and(
    eq(doNotCall.organizationId, input.organizationId),
    digits ? like(doNotCall.phone, containsPattern(digits)) : undefined,
  );
  const [items, total] = await Promise.all([
    deps.db
      .select()
      .from(doNotCall)
      .where(where)
      .orderBy(desc(doNotCall.createdAt), desc(doNotCall.id))
      .limit(input.limit)
      .offset(input.offset),
    deps.db.$count(doNotCall, where),
  ]);
  return { items, total };
}

/** Adds a number (the existing entry is answered when listed already). */
export async function addDoNotCallEntry(
  deps: ServiceDeps,
  input: { organizationId: string; phone: string; reason: string; source: 'manual' | 'api' },
): Promise<{ row: Row; created: boolean }> {
  const phone = normalizePhone(input.phone, await phoneCountryOf(deps.db, input.organizationId));
  const [inserted] = await deps.db
    .insert(doNotCall)
    .values({ organizationId: input.organizationId, phone, reason: input.reason, source: input.source })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { row: inserted, created: true };
  const [existing] = await deps.db
    .select()
    .from(doNotCall)
    .where(and(eq(doNotCall.organizationId, input.organizationId), eq(doNotCall.phone, phone)));
  return { row: existing!, created: false };
}

export async function deleteDoNotCallEntry(deps: ServiceDeps, input: { organizationId: string; id: string }) {
  const rows = await deps.db
    .delete(doNotCall)
    .where(and(eq(doNotCall.organizationId, input.organizationId), eq(doNotCall.id, input.id)))
    .returning({ id: doNotCall.id });
  if (rows.length === 0) throw notFound('do-not-call entry');
}

/**
 * A CSV with a `phone` column (any of phone/number/mobile/tel; or the first column without a
 * header) and an optional `reason` column. Invalid numbers are reported by row, not fatal.
 */
export async function importDoNotCall(
  deps: ServiceDeps,
  input: { organizationId: string; csv: string },
): Promise<{ added: number; existing: number; invalid: { row: number; value: string }[] }> {
  const parsed = Papa.parse<string[]>(input.csv.trim(), { skipEmptyLines: true });
  const rows = parsed.data;
  if (rows.length === 0) throw validationFailed([{ path: 'csv', message: 'the file has no rows' }]);
  if (rows.length > MAX_IMPORT_ROWS)
    throw validationFailed([{ path: 'csv', message: `at most ${MAX_IMPORT_ROWS} rows per import` }]);
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  let phoneCol = header.findIndex((h) => /^(phone|phone number|number|mobile|tel|telephone)$/.test(h));
  const reasonCol = header.findIndex((h) => h === 'reason' || h === 'note' || h === 'notes');
  const hasHeader = phoneCol >= 0 || reasonCol >= 0;
  if (phoneCol < 0) phoneCol = 0;
  const country = await phoneCountryOf(deps.db, input.organizationId);
  const invalid: { row: number; value: string }[] = [];
  const entries = new Map<string, string>();
  rows.slice(hasHeader ? 1 : 0).forEach((cells, i) => {
    const value = (cells[phoneCol] ?? '').trim();
    try {
      const phone = normalizePhone(value, country);
      if (!entries.has(phone)) entries.set(phone, (reasonCol >= 0 ? cells[reasonCol] : '')?.trim() ?? '');
    } catch {
      invalid.push({ row: i + (hasHeader ? 2 : 1), value: value.slice(0, 40) });
    }
  });
  let added = 0;
  const all = [...entries];
  for (let i = 0; i < all.length; i += 500) {
    const inserted = await deps.db
      .insert(doNotCall)
      .values(
        all.slice(i, i + 500).map(([phone, reason]) => ({
          organizationId: input.organizationId,
          phone,
          reason,
          source: 'import',
        })),
      )
      .onConflictDoNothing()
      .returning({ id: doNotCall.id });
    added += inserted.length;
  }
  return { added, existing: entries.size - added, invalid: invalid.slice(0, 100) };
}
