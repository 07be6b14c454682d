/** What the SIP trunk services share: loading a trunk with its numbers, and replacing its numbers. */
import { type DbOrTx, sipTrunkNumbers, sipTrunks } from '@switchboard/db';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { AppError, isUniqueViolation, notFound } from '../errors.ts';
import type { SipTrunkRecord, SipTrunkRow } from '../mappers/sip-trunks.ts';

export async function withNumbers(db: DbOrTx, rows: SipTrunkRow[]): Promise<SipTrunkRecord[]> {
  if (rows.length === 0) return [];
  const numbers = await db
    .select({ trunkId: sipTrunkNumbers.trunkId, e164: sipTrunkNumbers.e164 })
    .from(sipTrunkNumbers)
    .where(
      inArray(
        sipTrunkNumbers.trunkId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(sipTrunkNumbers.e164));
  return rows.map((row) => ({
    ...row,
    numbers: numbers.filter((n) => n.trunkId === row.id).map((n) => n.e164),
  }));
}

/** The organization's trunk `id` with its numbers; 404 for unknown and foreign ids alike. */
export async function getSipTrunk(db: DbOrTx, organizationId: string, id: string): Promise<SipTrunkRecord> {
  const [row] = await db
    .select()
    .from(sipTrunks)
    .where(and(eq(sipTrunks.organizationId, organizationId), eq(sipTrunks.id, id)))
    .limit(1);
  if (!row) throw notFound('SIP trunk');
  return (await withNumbers(db, [row]))[0]!;
}

/** Sets the trunk's numbers; a number another trunk carries is a 409 (numbers route one way). */
export async function replaceNumbers(
  tx: DbOrTx,
  trunk: { id: string; organizationId: string },
  numbers: string[],
): Promise<void> {
  await tx.delete(sipTrunkNumbers).where(eq(sipTrunkNumbers.trunkId, trunk.id));
  if (numbers.length === 0) return;
  try {
    await tx
      .insert(sipTrunkNumbers)
      .values(numbers.map((e164) => ({ trunkId: trunk.id, organizationId: trunk.organizationId, e164 })));
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', 'A number in `numbers` is already carried by another SIP trunk', {
        field: 'numbers',
      });
    }
    throw error;
  }
}

/** The organization's trunk that carries `e164`, with its numbers; null when none does. */
export async function trunkCarrying(
  db: DbOrTx,
  organizationId: string,
  e164: string,
): Promise<SipTrunkRecord | null> {
  const [row] = await db
    .select({ trunk: sipTrunks })
    .from(sipTrunkNumbers)
    .innerJoin(sipTrunks, eq(sipTrunks.id, sipTrunkNumbers.trunkId))
    .where(and(eq(sipTrunkNumbers.organizationId, organizationId), eq(sipTrunkNumbers.e164, e164)))
    .limit(1);
  return row ? ((await withNumbers(db, [row.trunk]))[0] ?? null) : null;
}

/** The first number (in order) on any of the organization's trunks: a caller id of last resort. */
export async function firstTrunkNumber(db: DbOrTx, organizationId: string): Promise<string | null> {
  const [row] = await db
    .select({ e164: sipTrunkNumbers.e164 })
    .from(sipTrunkNumbers)
    .where(eq(sipTrunkNumbers.organizationId, organizationId))
    .orderBy(asc(sipTrunkNumbers.e164))
    .limit(1);
  return row?.e164 ?? null;
}
