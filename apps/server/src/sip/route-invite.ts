/**
 * Which organization, trunk and agent an inbound INVITE belongs to. The dialled number picks
 * the trunk (numbers are unique across trunks); the INVITE's source address must be one of
 * that trunk's `inboundAddresses` (IPs or CIDR blocks). Carriers share signalling addresses
 * between their customers, so the address alone never picks an organization. The agent is the
 * number's phone-number entry, else the organization's default agent (startInboundCall).
 */
import { BlockList, isIP } from 'node:net';
import { type DbOrTx, phoneNumbers, sipTrunkNumbers, sipTrunks } from '@switchboard/db';
import { toE164 } from '@switchboard/shared';
import { eq } from 'drizzle-orm';

export type InviteRoute =
  | {
      ok: true;
      organizationId: string;
      trunkId: string;
      /** The trunk's `host:port`, where transfers (REFER targets) are sent. */
      trunkHost: string;
      number: string;
      agentId: string | null;
    }
  | { ok: false; status: 403 | 404; reason: 'unknown_number' | 'address_not_allowed' };

/** The dialled user part as E.164 (`+1415…`, `1415…`, `00…`, national US numbers). */
export function dialledNumber(user: string): string | null {
  const digits = user.replace(/[\s().-]/g, '');
  if (!/^\+?\d{6,16}$/.test(digits)) return null;
  return toE164(digits.startsWith('+') || digits.startsWith('00') ? digits : `+${digits}`) ?? toE164(digits);
}

export async function routeSipInvite(
  db: DbOrTx,
  invite: { to: string; sourceAddress: string },
): Promise<InviteRoute> {
  const number = dialledNumber(invite.to);
  if (!number) return { ok: false, status: 404, reason: 'unknown_number' };
  const [trunk] = await db
    .select({
      trunkId: sipTrunks.id,
      organizationId: sipTrunks.organizationId,
      inboundAddresses: sipTrunks.inboundAddresses,
      trunkHost: sipTrunks.outboundProxy,
    })
    .from(sipTrunkNumbers)
    .innerJoin(sipTrunks, eq(sipTrunks.id, sipTrunkNumbers.trunkId))
    .where(eq(sipTrunkNumbers.e164, number))
    .limit(1);
  // An unknown number and a known one from a stranger look the same to the stranger.
  if (!trunk) return { ok: false, status: 404, reason: 'unknown_number' };
  if (!addressAllowed(trunk.inboundAddresses, invite.sourceAddress)) {
    return { ok: false, status: 403, reason: 'address_not_allowed' };
  }
  const [entry] = await db
    .select({ organizationId: phoneNumbers.organizationId, agentId: phoneNumbers.agentId })
    .from(phoneNumbers)
    .where(eq(phoneNumbers.e164, number))
    .limit(1);
  const agentId = entry?.organizationId === trunk.organizationId ? entry.agentId : null;
  return {
    ok: true,
    organizationId: trunk.organizationId,
    trunkId: trunk.trunkId,
    trunkHost: trunk.trunkHost,
    number,
    agentId,
  };
}

/** True when `address` is one of `allowed` (addresses or CIDR blocks, IPv4 or IPv6). */
export function addressAllowed(allowed: readonly string[], address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const list = new BlockList();
  for (const entry of allowed) addToBlockList(list, entry);
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Adds an address or CIDR block (IPv4 or IPv6) to `list`; anything else is skipped. */
export function addToBlockList(list: BlockList, entry: string): void {
  const [ip = '', prefix] = entry.split('/');
  const family = isIP(ip);
  if (family === 0) return;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) list.addAddress(ip, type);
  else list.addSubnet(ip, Number(prefix), type);
}
