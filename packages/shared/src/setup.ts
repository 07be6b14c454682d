import { z } from 'zod';

/** One step of the setup checklist (`GET /api/setup`), checked by the server. */
export const setupItemSchema = z.object({
  id: z.enum(['twilio', 'model', 'phone_number', 'public_url', 'twilio_webhook', 'calendar', 'first_call']),
  title: z.string(),
  ok: z.boolean(),
  /** Optional steps (the calendar) never keep the checklist from being done. */
  optional: z.boolean(),
  /** What is the matter, or that it is fine, in plain words. */
  message: z.string(),
  /** Dashboard path where the step is done, or null when it is done outside (environment). */
  action: z.string().nullable(),
  /** A fix the server can make at once: `twilio_webhook` → `POST /api/setup/twilio-webhook`. */
  fix: z.literal('twilio_webhook').optional(),
});
export type SetupItem = z.infer<typeof setupItemSchema>;

/** An item as `GET /api/setup` answers it: `key` repeats `id` (the documented field name). */
export const setupItemResponseSchema = setupItemSchema.extend({ key: setupItemSchema.shape.id });

/** `POST /api/setup/twilio-webhook`: what happened to each bound number. */
export const setTwilioWebhookResponseSchema = z.object({
  results: z.array(z.object({ phoneNumber: z.string(), ok: z.boolean(), message: z.string() })),
});
export type SetTwilioWebhookResponse = z.infer<typeof setTwilioWebhookResponseSchema>;

export const setupResponseSchema = z.object({
  /** Every required step is ok. */
  done: z.boolean(),
  items: z.array(setupItemResponseSchema),
});
export type SetupResponse = z.infer<typeof setupResponseSchema>;
