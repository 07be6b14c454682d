import {
  type CountryCode,
  type ImportField,
  importColumn,
  normalizeStatus,
  toE164,
} from '@switchboard/shared';

/**
 * CSV import mapping: which CSV column feeds which prospect field. Parsing is papaparse's job
 * (in the import page); this module is pure so it can be tested without a browser. The header
 * names each field is recognised by are shared with the server (`importColumn`).
 */

/** `''` means "ignore this column". */
export type ColumnMapping = Record<string, ImportField | ''>;

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  company: 'Company',
  contact: 'Contact name',
  phone: 'Phone',
  email: 'Email',
  timezone: 'Time zone',
  status: 'Status',
  notes: 'Notes',
  source: 'Source',
};

/** Guesses a mapping from the CSV headers; unknown columns are ignored. */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const header of headers) {
    const column = importColumn(header);
    // First and last names both feed `contact`; applyMapping joins them in column order.
    mapping[header] = column ? ('field' in column ? column.field : 'contact') : '';
  }
  // Only one column should feed a single-value field; keep the first, except for names
  // (first + last) and notes, which are joined.
  const seen = new Set<ImportField>();
  for (const header of headers) {
    const field = mapping[header];
    if (!field) continue;
    if (seen.has(field) && field !== 'contact' && field !== 'notes') mapping[header] = '';
    seen.add(field);
  }
  return mapping;
}

/** Fields that no column feeds. `phone` is required by the API. */
export function missingRequired(mapping: ColumnMapping): ImportField[] {
  return Object.values(mapping).includes('phone') ? [] : ['phone'];
}

/**
 * Applies the mapping to parsed CSV records. One output row per input row, in order, so the
 * API's per-row error numbers line up with the preview. Empty values are left out so the
 * server applies its defaults.
 */
export function applyMapping(
  records: readonly Record<string, string | undefined>[],
  mapping: ColumnMapping,
  knownStatuses: readonly string[] = [],
): Record<string, string>[] {
  const entries = Object.entries(mapping).filter((e): e is [string, ImportField] => e[1] !== '');
  return records.map((record) => {
    const row: Record<string, string> = {};
    for (const [header, field] of entries) {
      let value = (record[header] ?? '').trim();
      if (!value) continue;
      if (field === 'status') value = normalizeStatus(value, knownStatuses);
      const prev = row[field];
      row[field] = prev ? `${prev}${field === 'notes' ? '\n' : ' '}${value}` : value;
    }
    return row;
  });
}

/**
 * A quick check for the preview, before anything is sent: the server validates every row and
 * has the final word, this only flags the obvious problems.
 */
export function rowProblem(row: Record<string, string>, country: CountryCode = 'US'): string | null {
  if (!row.phone) return 'No phone number';
  if (!toE164(row.phone, country)) return 'Phone number looks invalid';
  if (row.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(row.email)) return 'Email looks invalid';
  return null;
}

/**
 * The API numbers import errors by row starting at 1 (the first data row). Returns the
 * 0-based index into the rows that were sent.
 */
export function importErrorIndex(row: number): number {
  return row - 1;
}
