/** SIP trunks and the numbers they carry. */
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.ts';

/**
 * SIP trunks (docs/sip.md): a carrier or PBX that sends calls over SIP from `inboundAddresses`
 * and takes outbound calls at `outboundProxy`. The digest password is stored encrypted.
 */
export const sipTrunks = pgTable(
  'sip_trunks',
  {
    id: id(),
    organizationId: orgId(),
    name: text('name').notNull(),
    /** IPv4/IPv6 addresses and CIDR blocks allowed to send INVITEs. */
    inboundAddresses: jsonb('inbound_addresses').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    username: text('username').notNull().default(''),
    /** AES-GCM ciphertext (secrets.ts), or null when no password is set. */
    passwordEncrypted: text('password_encrypted'),
    /** `host:port` of the carrier's SIP edge. */
    outboundProxy: text('outbound_proxy').notNull(),
    transport: text('transport').$type<'udp' | 'tcp'>().notNull().default('udp'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('sip_trunks_org_idx').on(t.organizationId)],
);

/** The numbers (E.164) a trunk carries; unique across the installation, so an INVITE finds one trunk. */
export const sipTrunkNumbers = pgTable(
  'sip_trunk_numbers',
  {
    trunkId: uuid('trunk_id')
      .notNull()
      .references(() => sipTrunks.id, { onDelete: 'cascade' }),
    organizationId: orgId(),
    e164: text('e164').notNull(),
  },
  (t) => [
    uniqueIndex('sip_trunk_numbers_e164_uq').on(t.e164),
    index('sip_trunk_numbers_trunk_idx').on(t.trunkId),
  ],
);
