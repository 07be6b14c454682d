import { sipTrunks } from '@switchboard/db';
import type { updateSipTrunkSchema } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import type { SipTrunkRecord } from '../mappers/sip-trunks.ts';
import type { Secrets } from '../secrets.ts';
import { getSipTrunk, replaceNumbers } from './sip-trunk-rules.ts';

/** Changes a trunk; `password` null removes it, blank or absent keeps it. */
export async function updateSipTrunk(
  deps: ServiceDeps & { secrets: Secrets },
  input: { organizationId: string; id: string; patch: z.output<typeof updateSipTrunkSchema> },
): Promise<SipTrunkRecord> {
  const { organizationId, id, patch } = input;
  return deps.db.transaction(async (tx) => {
    const current = await getSipTrunk(tx, organizationId, id);
    const { numbers, password, ...fields } = patch;
    const set: Partial<typeof sipTrunks.$inferInsert> = { ...fields, updatedAt: deps.clock() };
    if (password === null) set.passwordEncrypted = null;
    else if (password) set.passwordEncrypted = deps.secrets.encrypt(password);
    await tx
      .update(sipTrunks)
      .set(set)
      .where(and(eq(sipTrunks.organizationId, organizationId), eq(sipTrunks.id, id)));
    if (numbers) await replaceNumbers(tx, current, numbers);
    return getSipTrunk(tx, organizationId, id);
  });
}
