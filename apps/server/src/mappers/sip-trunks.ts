import type { sipTrunks } from '@switchboard/db';
import type { SipTrunk } from '@switchboard/shared';
import { iso } from './iso.ts';

export type SipTrunkRow = typeof sipTrunks.$inferSelect;

/** A trunk with the numbers it carries. */
export type SipTrunkRecord = SipTrunkRow & { numbers: string[] };

/** The password never leaves the server: only whether one is stored. */
export function toSipTrunkJson(row: SipTrunkRecord): SipTrunk {
  return {
    id: row.id,
    name: row.name,
    inboundAddresses: row.inboundAddresses,
    username: row.username,
    hasPassword: row.passwordEncrypted !== null,
    outboundProxy: row.outboundProxy,
    transport: row.transport,
    numbers: row.numbers,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
