import { z } from 'zod';
import { paginationSchema, uuidSchema } from './common.ts';

/** A text message (SMS) sent by an agent's send_sms tool or received. */
export const messageSchema = z.object({
  id: z.string(),
  callId: z.string().nullable(),
  prospectId: z.string().nullable(),
  direction: z.enum(['outbound', 'inbound']),
  from: z.string(),
  to: z.string(),
  body: z.string(),
  status: z.string(),
  providerSid: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof messageSchema>;

export const listMessagesQuerySchema = paginationSchema.extend({
  prospectId: uuidSchema.optional(),
  callId: uuidSchema.optional(),
});

/** `POST /api/messages`: text a prospect by hand (through Twilio, from the organization's number). */
export const sendMessageSchema = z.strictObject({
  prospectId: uuidSchema,
  body: z.string().trim().min(1, 'is required').max(1600, 'at most 1600 characters'),
});
export type SendMessage = z.input<typeof sendMessageSchema>;
