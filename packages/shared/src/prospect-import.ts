/**
 * The CSV import vocabulary shared by the dashboard (which guesses a column mapping before
 * sending rows) and the server (which maps the header names of rows sent straight to the API):
 * the prospect fields a column can feed and the header spellings spreadsheets and CRMs use for
 * each. Headers are compared in {@link normalizeHeader} form.
 */
import { PROSPECT_STATUSES } from './prospects.ts';

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

/** Header names of each field, normalised. A field's own name is always one of them. */
export const IMPORT_HEADER_ALIASES: Readonly<Record<ImportField, readonly string[]>> = {
  company: [
    'company',
    'company_name',
    'business',
    'business_name',
    'organization',
    'organisation',
    'account',
    'account_name',
    'firm',
  ],
  contact: ['contact', 'contact_name', 'contact_person', 'name', 'full_name', 'person'],
  phone: [
    'phone',
    'phone_number',
    'phonenumber',
    'mobile',
    'mobile_phone',
    'cell',
    'cell_phone',
    'telephone',
    'tel',
    'work_phone',
    'direct_phone',
    'number',
  ],
  email: ['email', 'email_address', 'e_mail', 'e_mail_address', 'mail'],
  timezone: ['timezone', 'time_zone', 'tz', 'iana_timezone'],
  status: ['status', 'stage', 'lead_status', 'pipeline_stage'],
  notes: ['notes', 'note', 'comments', 'comment', 'description', 'remarks'],
  source: ['source', 'lead_source'],
};

/** Columns holding part of the contact's name; first and last are joined into `contact`. */
export type NamePart = 'first' | 'last';
export const NAME_PART_ALIASES: Readonly<Record<NamePart, readonly string[]>> = {
  first: ['first_name', 'firstname', 'given_name'],
  last: ['last_name', 'lastname', 'surname', 'family_name'],
};

/** What a CSV column feeds: a prospect field, or a part of the contact's name. */
export type ImportColumn = { field: ImportField } | { namePart: NamePart };

const COLUMNS = new Map<string, ImportColumn>();
for (const field of IMPORT_FIELDS) {
  for (const alias of IMPORT_HEADER_ALIASES[field]) COLUMNS.set(alias, { field });
}
for (const namePart of ['first', 'last'] as const) {
  for (const alias of NAME_PART_ALIASES[namePart]) COLUMNS.set(alias, { namePart });
}

/** `" E-Mail_Address "` → `e_mail_address`: lower case, separators as `_`, other symbols dropped. */
export function normalizeHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s._\-/]+/g, '_')
    .replace(/[^a-z0-9_]/g, '');
}

/** The column a header names, or undefined for a column to ignore. */
export function importColumn(header: string): ImportColumn | undefined {
  return COLUMNS.get(normalizeHeader(header));
}

/** `Meeting Scheduled` → `meeting_scheduled` when it names a known status; otherwise trimmed as typed. */
export function normalizeStatus(value: string, known: readonly string[] = PROSPECT_STATUSES): string {
  const key = normalizeHeader(value);
  return known.includes(key) ? key : value.trim();
}
