/**
 * The organization's do-not-call list (table do_not_call, one row per E.164 number): numbers
 * that replied STOP to a text, or were added by staff. Texts and calls to them are refused.
 */
import { type DbOrTx, doNotCall } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';

export async function isDoNotCall(db: DbOrTx, organizationId: string, phone: string): Promise<boolean> {
  const [row] = await db
    .select({ id: doNotCall.id })
    .from(doNotCall)
    .where(and(eq(doNotCall.organizationId, organizationId), eq(doNotCall.phone, phone)))
    .limit(1);
  return row !== undefined;
}

/** Adds the number (no-op when listed already); true when it was added now. */
export async function addDoNotCall(
  db: DbOrTx,
  entry: { organizationId: string; phone: string; reason: string; source: string },
): Promise<boolean> {
  const rows = await db.insert(doNotCall).values(entry).onConflictDoNothing().returning({ id: doNotCall.id });
  return rows.length > 0;
}

/** Removes the number when it was listed by `source` (a START reply lifts only an opt-out); true when removed. */
export async function removeDoNotCall(
  db: DbOrTx,
  entry: { organizationId: string; phone: string; source: string },
): Promise<boolean> {
  const rows = await db
    .delete(doNotCall)
    .where(
      and(
        eq(doNotCall.organizationId, entry.organizationId),
        eq(doNotCall.phone, entry.phone),
        eq(doNotCall.source, entry.source),
      ),
    )
    .returning({ id: doNotCall.id });
  return rows.length > 0;
}
