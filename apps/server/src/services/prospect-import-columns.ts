/**
 * Maps one CSV row (header → cell, as the dashboard parsed it) onto prospect fields, accepting
 * the header names spreadsheets and CRMs commonly use. Pure; unknown columns are ignored.
 */
import { PROSPECT_STATUSES } from '@switchboard/shared';

export const IMPORT_FIELDS = [
  'company',
  'contact',
  'phone',
  'email',
  'timezone',
  'status',
  'notes',
  'source',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Normalised header → field. Headers are lower-cased with spaces, dashes and dots turned into `_`. */
const ALIASES: Record<string, ImportField> = {};
const alias = (field: ImportField, names: string[]) => {
  for (const name of names) ALIASES[name] = field;
};
alias('company', [
  'company',
  'company_name',
  'organization',
  'organisation',
  'business',
  'business_name',
  'account',
  'account_name',
]);
alias('contact', ['contact', 'contact_name', 'name', 'full_name', 'person', 'contact_person']);
alias('phone', [
  'phone',
  'phone_number',
  'phonenumber',
  'telephone',
  'tel',
  'mobile',
  'mobile_phone',
  'cell',
  'cell_phone',
  'number',
]);
alias('email', ['email', 'email_address', 'e_mail', 'mail']);
alias('timezone', ['timezone', 'time_zone', 'tz']);
alias('status', ['status', 'stage', 'lead_status']);
alias('notes', ['notes', 'note', 'comments', 'comment', 'description']);
alias('source', ['source', 'lead_source']);

const FIRST_NAME = new Set(['first_name', 'firstname', 'given_name']);
const LAST_NAME = new Set(['last_name', 'lastname', 'surname', 'family_name']);
const STATUSES = new Set<string>(PROSPECT_STATUSES);

export function normalizeHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s.\-/]+/g, '_')
    .replace(/[^a-z0-9_]/g, '');
}

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
  let first: string | undefined;
  let last: string | undefined;
  for (const [header, raw] of Object.entries(row)) {
    const key = normalizeHeader(header);
    const field = ALIASES[key];
    const isName = FIRST_NAME.has(key) || LAST_NAME.has(key);
    if (!field && !isName) continue;
    const text = cellText(raw);
    if (text === null) {
      invalid.push({ field: field ?? key, message: 'must be text' });
      continue;
    }
    if (text === undefined) continue;
    if (FIRST_NAME.has(key)) first = text;
    else if (LAST_NAME.has(key)) last = text;
    else if (field && values[field] === undefined) values[field] = text;
  }
  if (values.contact === undefined && (first || last))
    values.contact = [first, last].filter(Boolean).join(' ');
  // "Meeting scheduled" → meeting_scheduled; unknown statuses stay as typed and fail validation.
  if (values.status !== undefined) {
    const status = normalizeHeader(values.status);
    if (STATUSES.has(status)) values.status = status;
  }
  return { values, invalid };
}
