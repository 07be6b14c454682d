/**
 * Scrubbing a person's phone numbers and email addresses out of free text and JSON that is
 * kept (other people's transcripts, call events, notes, audit details): each literal is
 * replaced by `[erased]` in SQL. The pattern is built from escaped literals only.
 */
import type { DbOrTx } from '@switchboard/db';
import { sql } from 'drizzle-orm';

export const ERASED = '[erased]';

/**
 * A regular expression (Postgres ARE, used case-insensitively) matching any of the literals,
 * metacharacters escaped; an all-digits literal only where no digit touches it.
 */
export function literalsPattern(literals: readonly string[]): string {
  return literals
    .map((l) => {
      const escaped = l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return /^\d+$/.test(l) ? `(?<![0-9])${escaped}(?![0-9])` : escaped;
    })
    .join('|');
}

/** The forms a person's identifiers take in text: each E.164 and its national digits, each email. */
export function identifierLiterals(phones: readonly string[], emails: readonly string[]): string[] {
  const literals = new Set<string>();
  for (const phone of phones) {
    literals.add(phone);
    // +14155550111 → 4155550111 (national significant number, as people type it)
    const digits = phone.replace(/^\+1/, '').replace(/^\+/, '');
    if (digits.length >= 7) literals.add(digits);
  }
  for (const email of emails) literals.add(email.toLowerCase());
  return [...literals].filter(Boolean);
}

/** Text columns (table, column) and JSON columns that may mention a person and are kept. */
const TEXT_COLUMNS = [
  ['transcript_segments', 'text'],
  ['calls', 'summary'],
  ['calls', 'error'],
  ['messages', 'body'],
  ['appointments', 'title'],
  ['appointments', 'notes'],
  ['prospects', 'notes'],
] as const;
const JSON_COLUMNS = [
  ['call_events', 'data'],
  ['audit_log', 'details'],
  ['webhook_deliveries', 'payload'],
] as const;

/** Replaces the literals in every kept column of the organization; returns the rows changed. */
export async function scrubIdentifiers(
  db: DbOrTx,
  organizationId: string,
  literals: readonly string[],
): Promise<number> {
  if (literals.length === 0) return 0;
  const pattern = literalsPattern(literals);
  let changed = 0;
  for (const [table, column] of TEXT_COLUMNS) {
    changed += await run(
      db,
      sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = regexp_replace(${sql.identifier(column)}, ${pattern}, ${ERASED}, 'gi')
          where organization_id = ${organizationId} and ${sql.identifier(column)} ~* ${pattern}`,
    );
  }
  // In JSON only the forms with `+` or `@`: they can stand only inside strings, so the result stays JSON.
  const jsonPattern = literalsPattern(literals.filter((l) => /[+@]/.test(l)));
  for (const [table, column] of JSON_COLUMNS) {
    if (!jsonPattern) break;
    changed += await run(
      db,
      sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = regexp_replace(${sql.identifier(column)}::text, ${jsonPattern}, ${ERASED}, 'gi')::jsonb
          where organization_id = ${organizationId} and ${sql.identifier(column)}::text ~* ${jsonPattern}`,
    );
  }
  return changed;
}

async function run(db: DbOrTx, query: ReturnType<typeof sql>): Promise<number> {
  const result = (await db.execute(query)) as unknown as { rowCount?: number | null; affectedRows?: number };
  return result.rowCount ?? result.affectedRows ?? 0;
}
