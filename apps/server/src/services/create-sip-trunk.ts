import { sipTrunks } from '@switchboard/db';
import type { createSipTrunkSchema } from '@switchboard/shared';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import type { SipTrunkRecord } from '../mappers/sip-trunks.ts';
import type { Secrets } from '../secrets.ts';
import { replaceNumbers } from './sip-trunk-rules.ts';

/** Adds a SIP trunk; its password is encrypted before it is stored. */
export async function createSipTrunk(
  deps: ServiceDeps & { secrets: Secrets },
  input: { organizationId: string; data: z.output<typeof createSipTrunkSchema> },
): Promise<SipTrunkRecord> {
  const { data, organizationId } = input;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sipTrunks)
      .values({
        organizationId,
        name: data.name,
        inboundAddresses: data.inboundAddresses,
        username: data.username,
        passwordEncrypted: data.password ? deps.secrets.encrypt(data.password) : null,
        outboundProxy: data.outboundProxy,
        transport: data.transport,
      })
      .returning();
    await replaceNumbers(tx, row!, data.numbers);
    return { ...row!, numbers: [...data.numbers].sort() };
  });
}
