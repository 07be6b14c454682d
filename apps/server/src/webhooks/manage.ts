/**
 * The organization's webhooks: create (the secret is generated, stored encrypted and returned
 * once), change, remove, and read the delivery log. URLs are checked when saved (https, not a
 * private address written as such) and again on the resolved address at every delivery.
 */
import { webhookAttempts, webhookDeliveries, webhooks } from '@switchboard/db';
import type { createWebhookSchema, updateWebhookSchema } from '@switchboard/shared';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import { notFound, validationFailed } from '../errors.ts';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookRow } from '../mappers/webhooks.ts';
import { checkWebhookUrl, WebhookUrlError } from './safe-post.ts';
import { newWebhookSecret } from './sign.ts';

type Deps = Pick<AppContext, 'db' | 'secrets' | 'config' | 'clock'>;

function checkUrl(deps: Deps, url: string): void {
  try {
    checkWebhookUrl(url, deps.config.webhookAllowPrivate);
  } catch (error) {
    if (error instanceof WebhookUrlError) throw validationFailed([{ path: 'url', message: error.message }]);
    throw error;
  }
}

export async function createWebhook(
  deps: Deps,
  organizationId: string,
  data: z.output<typeof createWebhookSchema>,
): Promise<{ row: WebhookRow; secret: string }> {
  checkUrl(deps, data.url);
  const secret = newWebhookSecret();
  const [row] = await deps.db
    .insert(webhooks)
    .values({
      organizationId,
      url: data.url,
      events: data.events,
      active: data.enabled,
      description: data.description,
      secretCiphertext: deps.secrets.encrypt(secret),
    })
    .returning();
  return { row: row!, secret };
}

export async function getWebhook(
  deps: Pick<Deps, 'db'>,
  organizationId: string,
  id: string,
): Promise<WebhookRow> {
  const [row] = await deps.db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.organizationId, organizationId), eq(webhooks.id, id)))
    .limit(1);
  if (!row) throw notFound('Webhook');
  return row;
}

export async function updateWebhook(
  deps: Deps,
  organizationId: string,
  id: string,
  patch: z.output<typeof updateWebhookSchema>,
): Promise<WebhookRow> {
  await getWebhook(deps, organizationId, id);
  if (patch.url !== undefined) checkUrl(deps, patch.url);
  const [row] = await deps.db
    .update(webhooks)
    .set({
      ...(patch.url === undefined ? {} : { url: patch.url }),
      ...(patch.events === undefined ? {} : { events: patch.events }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      // Enabling again clears the reason it was disabled.
      ...(patch.enabled === undefined ? {} : { active: patch.enabled, disabledReason: null }),
      updatedAt: deps.clock(),
    })
    .where(and(eq(webhooks.organizationId, organizationId), eq(webhooks.id, id)))
    .returning();
  return row!;
}

export async function deleteWebhook(
  deps: Pick<Deps, 'db'>,
  organizationId: string,
  id: string,
): Promise<void> {
  const deleted = await deps.db
    .delete(webhooks)
    .where(and(eq(webhooks.organizationId, organizationId), eq(webhooks.id, id)))
    .returning({ id: webhooks.id });
  if (!deleted.length) throw notFound('Webhook');
}

/** The newest deliveries of a webhook with each one's attempts. */
export async function listDeliveries(
  deps: Pick<Deps, 'db'>,
  organizationId: string,
  webhookId: string,
  limit: number,
): Promise<Array<{ delivery: WebhookDeliveryRow; attempts: WebhookAttemptRow[] }>> {
  await getWebhook(deps, organizationId, webhookId);
  const deliveries = await deps.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.webhookId, webhookId)),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
  const ids = deliveries.map((d) => d.id);
  const attempts = ids.length
    ? await deps.db
        .select()
        .from(webhookAttempts)
        .where(
          and(eq(webhookAttempts.organizationId, organizationId), inArray(webhookAttempts.deliveryId, ids)),
        )
        .orderBy(webhookAttempts.id)
    : [];
  return deliveries.map((delivery) => ({
    delivery,
    attempts: attempts.filter((a) => a.deliveryId === delivery.id),
  }));
}
