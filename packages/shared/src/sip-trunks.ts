import { z } from 'zod';
import { paginationSchema, phoneSchema } from './common.ts';

/** An IPv4/IPv6 address or CIDR block that may send INVITEs for the trunk's numbers. */
export const inboundAddressSchema = z
  .string()
  .trim()
  .max(64)
  .refine(
    (value) =>
      z.ipv4().safeParse(value).success ||
      z.ipv6().safeParse(value).success ||
      z.cidrv4().safeParse(value).success ||
      z.cidrv6().safeParse(value).success,
    { message: 'must be an IP address or CIDR block, e.g. 54.172.60.0/30' },
  );

const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/;

/** `host:port` of the carrier's SIP edge (`host` alone means port 5060); normalised to `host:port`. */
export const outboundProxySchema = z
  .string()
  .trim()
  .max(260)
  .transform((value, ctx) => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(value);
    const port = Number(match?.[2] ?? 5060);
    if (!match || !HOST.test(match[1]!) || port < 1 || port > 65_535) {
      ctx.addIssue({ code: 'custom', message: 'must be host:port, e.g. example.pstn.twilio.com:5060' });
      return z.NEVER;
    }
    return `${match[1]}:${port}`;
  });

const numbersSchema = z
  .array(phoneSchema)
  .max(1000)
  .refine((numbers) => new Set(numbers).size === numbers.length, { message: 'numbers must not repeat' });

/**
 * A SIP trunk: a carrier or PBX that sends calls here over SIP (from `inboundAddresses`, to one
 * of `numbers`) and takes our outbound calls at `outboundProxy`, with digest credentials.
 * The password is write-only: `hasPassword` says whether one is stored (encrypted).
 */
export const sipTrunkSchema = z.object({
  id: z.string(),
  name: z.string(),
  inboundAddresses: z.array(z.string()),
  username: z.string(),
  hasPassword: z.boolean(),
  outboundProxy: z.string(),
  /** Signalling transport towards `outboundProxy`. */
  transport: z.enum(['udp', 'tcp']),
  numbers: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SipTrunk = z.infer<typeof sipTrunkSchema>;

export const createSipTrunkSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  inboundAddresses: z.array(inboundAddressSchema).max(50).default([]),
  username: z.string().trim().max(128).default(''),
  /** Digest password for outbound calls; stored encrypted, never returned. */
  password: z.string().max(256).optional(),
  outboundProxy: outboundProxySchema,
  transport: z.enum(['udp', 'tcp']).default('udp'),
  numbers: numbersSchema.default([]),
});
export type CreateSipTrunk = z.input<typeof createSipTrunkSchema>;

export const updateSipTrunkSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    inboundAddresses: z.array(inboundAddressSchema).max(50),
    username: z.string().trim().max(128),
    /** A new password; `null` removes it; blank or omitted keeps the stored one. */
    password: z.string().max(256).nullable(),
    outboundProxy: outboundProxySchema,
    transport: z.enum(['udp', 'tcp']),
    numbers: numbersSchema,
  })
  .partial();
export type UpdateSipTrunk = z.input<typeof updateSipTrunkSchema>;

export const listSipTrunksQuerySchema = paginationSchema;
