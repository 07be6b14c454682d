/**
 * Outgoing webhooks (docs/webhooks.md): the organization's receivers, the events they hear and
 * the delivery log. The signing secret is returned once, when the webhook is created.
 */
import { z } from 'zod';

export const WEBHOOK_EVENTS = [
  'call.started',
  'call.ended',
  'lead.created',
  'appointment.booked',
  'message.sent',
  'campaign.completed',
  'webhook.test',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** The JSON body of every delivery. */
export interface WebhookEventBody<T = Record<string, unknown>> {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  organizationId: string;
  data: T;
}

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  enabled: z.boolean(),
  description: z.string(),
  /** Why the server disabled it (deliveries failed for a day); null otherwise. */
  disabledReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;

/** `POST /api/webhooks` answers the webhook with its signing secret, shown this once. */
export const createdWebhookSchema = webhookSchema.extend({ secret: z.string() });
export type CreatedWebhook = z.infer<typeof createdWebhookSchema>;

const events = z
  .array(z.enum(WEBHOOK_EVENTS).exclude(['webhook.test']))
  .min(1, 'choose at least one event')
  .transform((e) => [...new Set(e)]);

export const createWebhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2_000),
  events,
  enabled: z.boolean().default(true),
  description: z.string().max(500).default(''),
});
export type CreateWebhook = z.input<typeof createWebhookSchema>;

export const updateWebhookSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).max(2_000),
    events,
    enabled: z.boolean(),
    description: z.string().max(500),
  })
  .partial();
export type UpdateWebhook = z.input<typeof updateWebhookSchema>;

export const webhookAttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  responseBody: z.string().nullable(),
});
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  eventId: z.string().nullable(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  attemptLog: z.array(webhookAttemptSchema),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
