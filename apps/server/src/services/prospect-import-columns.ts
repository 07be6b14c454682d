/**
 * Maps one CSV row (header → cell, as the dashboard parsed it, or as an API client sent it)
 * onto prospect fields, with the header names of `@switchboard/shared` (`importColumn`). Pure;
 * unknown columns are ignored.
 */
import { type ImportField, importColumn, normalizeHeader, normalizeStatus } from '@switchboard/shared';

export interface MappedRow {
  /** Fields with a non-empty cell, as strings. */
  values: Partial<Record<ImportField, string>>;
  /** Cells that are not text or numbers (objects, arrays): reported as row errors. */
  invalid: { field: string; message: string }[];
}

function cellText(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function mapImportRow(row: Record<string, unknown>): MappedRow {
  const values: MappedRow['values'] = {};
  const invalid: MappedRow['invalid'] = [];
  const name: { first?: string; last?: string } = {};
  for (const [header, raw] of Object.entries(row)) {
    const column = importColumn(header);
    if (!column) continue;
    const text = cellText(raw);
    if (text === null) {
      invalid.push({
        field: 'field' in column ? column.field : normalizeHeader(header),
        message: 'must be text',
      });
      continue;
    }
    if (text === undefined) continue;
    if ('namePart' in column) name[column.namePart] = text;
    else if (values[column.field] === undefined) values[column.field] = text;
  }
  if (values.contact === undefined && (name.first || name.last))
    values.contact = [name.first, name.last].filter(Boolean).join(' ');
  // "Meeting scheduled" → meeting_scheduled; unknown statuses stay as typed and fail validation.
  if (values.status !== undefined) values.status = normalizeStatus(values.status);
  return { values, invalid };
}
