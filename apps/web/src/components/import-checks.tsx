/**
 * The import page's checks: a sample file to start from, and the server's dry run of the whole
 * file (`POST /api/prospects/import?dryRun=true`), which predicts the rows it will reject and
 * the duplicates (a phone number already in the organization, or repeated in the file).
 */
import type { ImportDuplicate, ImportResult } from '@switchboard/shared';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api.ts';

export const SAMPLE_CSV = [
  'company,contact,phone,email,timezone,status,notes',
  'Acme Dental,Dana Reyes,+1 415 555 0100,dana@acme.example,America/Los_Angeles,new,Asked for a demo',
  'Northwind Traders,Liam Chen,+44 20 7946 0958,liam@northwind.example,Europe/London,contacted,',
  'Globex,Maria Rossi,+39 06 1234 5678,,Europe/Rome,new,Call after 10am',
].join('\n');

/** A link that downloads SAMPLE_CSV (made in the page, no request). */
export function SampleCsvLink() {
  const href = useMemo(() => `data:text/csv;charset=utf-8,${encodeURIComponent(`${SAMPLE_CSV}\n`)}`, []);
  return (
    <a className="btn btn--small" href={href} download="prospects-sample.csv">
      Download a sample CSV
    </a>
  );
}

export interface DryRun {
  errors: ImportResult['errors'];
  /** By 1-based row. */
  duplicates: Map<number, ImportDuplicate>;
  created: number;
}

/** Rows per request: the API takes up to 5000; smaller batches keep progress visible. */
const BATCH = 1000;

/**
 * Sends `rows` to `POST /api/prospects/import` (or its dry run) in batches, and adds up the
 * answers with row numbers (errors, duplicates) renumbered to point at the whole file.
 * `onBatch(first, last)` before each batch (1-based rows); `stop()` true ends early.
 */
export async function importInBatches(
  rows: Record<string, string>[],
  options: {
    onDuplicate: 'skip' | 'update';
    source: string;
    dryRun?: boolean;
    onBatch?: (first: number, last: number) => void;
    stop?: () => boolean;
  },
): Promise<ImportResult & { duplicates: ImportDuplicate[] }> {
  const total = { created: 0, updated: 0, skipped: 0, errors: [] as ImportResult['errors'] };
  const duplicates: ImportDuplicate[] = [];
  const path = options.dryRun ? '/api/prospects/import?dryRun=true' : '/api/prospects/import';
  for (let start = 0; start < rows.length && !options.stop?.(); start += BATCH) {
    options.onBatch?.(start + 1, Math.min(start + BATCH, rows.length));
    const r = await api.post<ImportResult>(path, {
      rows: rows.slice(start, start + BATCH),
      onDuplicate: options.onDuplicate,
      source: options.source.trim() || 'csv',
    });
    total.created += r.created;
    total.updated += r.updated;
    total.skipped += r.skipped;
    total.errors.push(...r.errors.map((e) => ({ ...e, row: e.row + start })));
    for (const d of r.duplicates ?? [])
      duplicates.push({ ...d, row: d.row + start, ...(d.firstRow ? { firstRow: d.firstRow + start } : {}) });
  }
  return { ...total, duplicates };
}

/** Runs the server's dry run over every row, again when the rows or options change. */
export function useDryRun(
  rows: Record<string, string>[],
  onDuplicate: 'skip' | 'update',
  source: string,
): { dryRun: DryRun | null; checking: boolean; error: unknown } {
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (rows.length === 0) {
      setDryRun(null);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(async () => {
      setChecking(true);
      setError(null);
      try {
        const r = await importInBatches(rows, { onDuplicate, source, dryRun: true, stop: () => cancelled });
        const next: DryRun = {
          errors: r.errors,
          duplicates: new Map(r.duplicates.map((d) => [d.row, d])),
          created: r.created,
        };
        if (!cancelled) setDryRun(next);
      } catch (err) {
        if (!cancelled) setError(err);
      } finally {
        if (!cancelled) setChecking(false);
      }
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [rows, onDuplicate, source]);
  return { dryRun, checking, error };
}

/** What the preview's Check column says about a duplicate row. */
export function duplicateText(d: ImportDuplicate, onDuplicate: 'skip' | 'update'): string {
  const action = onDuplicate === 'skip' ? 'will be skipped' : 'will update it';
  return d.reason === 'exists'
    ? `Duplicate: this phone is already in your prospects (${action})`
    : `Duplicate of row ${d.firstRow ?? '?'} in this file (${action})`;
}

/** One line summing up the dry run. */
export function DryRunSummary({
  dryRun,
  checking,
  onDuplicate,
}: {
  dryRun: DryRun | null;
  checking: boolean;
  onDuplicate: 'skip' | 'update';
}) {
  if (checking && !dryRun) return <p className="muted">Checking every row with the server…</p>;
  if (!dryRun) return null;
  const invalid = new Set(dryRun.errors.map((e) => e.row)).size;
  const dupes = dryRun.duplicates.size;
  return (
    <p className="import-check" data-testid="dry-run-summary">
      Checked every row: <strong>{dryRun.created}</strong> new prospect{dryRun.created === 1 ? '' : 's'}
      {dupes
        ? ` · ${dupes} duplicate${dupes === 1 ? '' : 's'} predicted (${onDuplicate === 'skip' ? 'skipped' : 'updated'})`
        : ' · no duplicates'}
      {invalid ? ` · ${invalid} row${invalid === 1 ? '' : 's'} with problems` : ''}
      {checking ? ' · rechecking…' : ''}
    </p>
  );
}
