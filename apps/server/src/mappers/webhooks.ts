import type { webhookAttempts, webhookDeliveries, webhooks } from '@switchboard/db';
import { WEBHOOK_EVENTS, type Webhook, type WebhookDelivery } from '@switchboard/shared';
import { iso, isoOrNull } from './iso.ts';

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;

/** The API shape of a webhook: never its secret. */
export function toWebhookJson(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events.filter((e): e is Webhook['events'][number] =>
      (WEBHOOK_EVENTS as readonly string[]).includes(e),
    ),
    enabled: row.active,
    description: row.description,
    disabledReason: row.disabledReason,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export function toWebhookDeliveryJson(
  row: WebhookDeliveryRow,
  attempts: WebhookAttemptRow[],
): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.eventId,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    lastError: row.lastError,
    createdAt: iso(row.createdAt),
    deliveredAt: isoOrNull(row.deliveredAt),
    payload: row.payload,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      at: iso(a.at),
      responseStatus: a.responseStatus,
      error: a.error,
      durationMs: a.durationMs,
      responseBody: a.responseBody,
    })),
  };
}
