/**
 * Which records belong to one person in an organization: the prospects with their phone number
 * or email, and every call and text to or from those numbers (or attached to those prospects).
 * Export and erase both start here, so they always agree on what "the person's data" is.
 */
import { calls, type DbOrTx, messages, prospects } from '@switchboard/db';
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { ProspectRow } from '../mappers/prospects.ts';

export interface PersonRecords {
  prospects: ProspectRow[];
  /** Every E.164 number of the person (given, and their prospects'). */
  phones: string[];
  /** Every email of the person (lower case). */
  emails: string[];
  callIds: string[];
  messageIds: string[];
}

export async function findPersonRecords(
  db: DbOrTx,
  organizationId: string,
  who: { phone?: string | undefined; email?: string | undefined; prospectId?: string | undefined },
): Promise<PersonRecords> {
  const match: SQL[] = [];
  if (who.phone) match.push(eq(prospects.phone, who.phone));
  if (who.email) match.push(sql`lower(${prospects.email}) = ${who.email.toLowerCase()}`);
  if (who.prospectId) match.push(eq(prospects.id, who.prospectId));
  const found = match.length
    ? await db
        .select()
        .from(prospects)
        .where(and(eq(prospects.organizationId, organizationId), or(...match)))
    : [];
  const phones = [...new Set([...found.map((p) => p.phone), ...(who.phone ? [who.phone] : [])])];
  const emails = [
    ...new Set(
      [...found.map((p) => p.email), who.email]
        .filter((e): e is string => Boolean(e))
        .map((e) => e.toLowerCase()),
    ),
  ];
  const prospectIds = found.map((p) => p.id);

  const callMatch: SQL[] = [];
  const messageMatch: SQL[] = [];
  if (prospectIds.length) {
    callMatch.push(inArray(calls.prospectId, prospectIds));
    messageMatch.push(inArray(messages.prospectId, prospectIds));
  }
  if (phones.length) {
    callMatch.push(inArray(calls.from, phones), inArray(calls.to, phones));
    messageMatch.push(inArray(messages.from, phones), inArray(messages.to, phones));
  }
  const callRows = callMatch.length
    ? await db
        .select({ id: calls.id })
        .from(calls)
        .where(and(eq(calls.organizationId, organizationId), or(...callMatch)))
    : [];
  const messageRows = messageMatch.length
    ? await db
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.organizationId, organizationId), or(...messageMatch)))
    : [];
  return {
    prospects: found,
    phones,
    emails,
    callIds: callRows.map((c) => c.id),
    messageIds: messageRows.map((m) => m.id),
  };
}
