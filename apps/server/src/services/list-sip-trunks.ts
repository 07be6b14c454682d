import { sipTrunks } from '@switchboard/db';
import type { ListResponse } from '@switchboard/shared';
import { asc, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import type { SipTrunkRecord } from '../mappers/sip-trunks.ts';
import { pageOf } from '../sql.ts';
import { withNumbers } from './sip-trunk-rules.ts';

export async function listSipTrunks(
  { db }: ServiceDeps,
  input: { organizationId: string; limit: number; offset: number },
): Promise<ListResponse<SipTrunkRecord>> {
  const where = eq(sipTrunks.organizationId, input.organizationId);
  const page = await pageOf(
    db
      .select()
      .from(sipTrunks)
      .where(where)
      .orderBy(asc(sipTrunks.name), asc(sipTrunks.id))
      .limit(input.limit)
      .offset(input.offset),
    db.$count(sipTrunks, where),
    input,
  );
  return { ...page, items: await withNumbers(db, page.items) };
}
