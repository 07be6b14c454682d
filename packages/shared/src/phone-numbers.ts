import { z } from 'zod';
import { paginationSchema, phoneSchema, uuidSchema } from './common.ts';

/** A telephone number the organization owns; inbound calls to it are answered by `agentId`. */
export const phoneNumberSchema = z.object({
  id: z.string(),
  /** E.164, unique across the installation. */
  number: z.string(),
  label: z.string(),
  agentId: z.string().nullable(),
  createdAt: z.string(),
});
export type PhoneNumber = z.infer<typeof phoneNumberSchema>;

export const createPhoneNumberSchema = z.strictObject({
  number: phoneSchema,
  label: z.string().trim().max(100).default(''),
  agentId: uuidSchema.nullable().optional(),
});
export type CreatePhoneNumber = z.input<typeof createPhoneNumberSchema>;

export const updatePhoneNumberSchema = z
  .strictObject({
    label: z.string().trim().max(100),
    agentId: uuidSchema.nullable(),
  })
  .partial();
export type UpdatePhoneNumber = z.input<typeof updatePhoneNumberSchema>;

export const listPhoneNumbersQuerySchema = paginationSchema;
