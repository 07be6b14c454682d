import { z } from 'zod';

/** One step of the setup checklist (`GET /api/setup`), checked by the server. */
export const setupItemSchema = z.object({
  id: z.enum(['twilio', 'model', 'phone_number', 'public_url', 'calendar', 'first_call']),
  title: z.string(),
  ok: z.boolean(),
  /** Optional steps (the calendar) never keep the checklist from being done. */
  optional: z.boolean(),
  /** What is the matter, or that it is fine, in plain words. */
  message: z.string(),
  /** Dashboard path where the step is done, or null when it is done outside (environment). */
  action: z.string().nullable(),
});
export type SetupItem = z.infer<typeof setupItemSchema>;

export const setupResponseSchema = z.object({
  /** Every required step is ok. */
  done: z.boolean(),
  items: z.array(setupItemSchema),
});
export type SetupResponse = z.infer<typeof setupResponseSchema>;
