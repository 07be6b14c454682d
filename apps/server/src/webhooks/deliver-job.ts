/**
 * Delivers one webhook event as a durable job (docs/webhooks.md): signs the stored body, POSTs it
 * (safe-post.ts: 10 s, 64 KiB read, no redirects, public addresses only) and logs the attempt.
 * A 2xx answer delivers it; anything else is retried with exponential backoff (30 s doubling,
 * at most an hour apart, 30 retries: about a day). When the last attempt fails the delivery is
 * `failed` and the webhook is disabled with the reason. Deliveries run independently: a slow
 * receiver holds only its own job.
 */
import { webhookAttempts, webhookDeliveries, webhooks } from '@switchboard/db';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineJob } from '../jobs/define.ts';
import { type JobRun, PermanentJobError } from '../jobs/run-job.ts';
import { safePost } from './safe-post.ts';
import { signatureHeader } from './sign.ts';

export const deliverWebhookJob = defineJob({
  name: 'webhook.deliver',
  data: z.object({ organizationId: z.uuid(), deliveryId: z.uuid() }),
  retryLimit: 30,
  retryDelaySeconds: 30,
  retryBackoff: true,
  retryDelayMaxSeconds: 3_600,
  expireInSeconds: 60,
});

export const DELIVERY_TIMEOUT_MS = 10_000;
/** Most of a receiver's answer read; the log keeps the first KiB. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
const LOGGED_BODY_CHARS = 1_024;

export type DeliverDeps = Pick<AppContext, 'db' | 'secrets' | 'config' | 'clock' | 'log'>;
type Job = Pick<
  JobRun<z.output<typeof deliverWebhookJob.data>>,
  'data' | 'attempt' | 'lastAttempt' | 'signal'
>;

export async function deliverWebhook(deps: DeliverDeps, job: Job): Promise<void> {
  const { organizationId, deliveryId } = job.data;
  const [found] = await deps.db
    .select({ delivery: webhookDeliveries, webhook: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.organizationId, organizationId)))
    .limit(1);
  if (!found) throw new PermanentJobError('the delivery or its webhook is gone');
  const { delivery, webhook } = found;
  if (delivery.status !== 'pending') return;
  if (!webhook.active && delivery.event !== 'webhook.test') {
    await finishDelivery(deps, deliveryId, { status: 'failed', lastError: 'the webhook is disabled' }, false);
    return;
  }

  const rawBody = JSON.stringify(delivery.payload);
  const secret = webhook.secretCiphertext ? deps.secrets.decrypt(webhook.secretCiphertext) : '';
  const started = performance.now();
  let responseStatus: number | null = null;
  let responseBody: string | null = null;
  let error: string | null = null;
  try {
    const result = await safePost(
      webhook.url,
      rawBody,
      {
        'user-agent': 'Switchboard-Webhooks/1',
        'x-switchboard-signature': signatureHeader(
          secret,
          rawBody,
          Math.floor(deps.clock().getTime() / 1000),
        ),
        'x-switchboard-event-id': delivery.eventId ?? delivery.id,
        'x-switchboard-event': delivery.event,
      },
      {
        allowPrivate: deps.config.webhookAllowPrivate,
        timeoutMs: DELIVERY_TIMEOUT_MS,
        maxBytes: MAX_RESPONSE_BYTES,
        signal: job.signal,
      },
    );
    responseStatus = result.status;
    responseBody = result.body.slice(0, LOGGED_BODY_CHARS);
    if (result.status < 200 || result.status >= 300) {
      error =
        result.status >= 300 && result.status < 400
          ? `redirect ${result.status} (redirects are not followed)`
          : `HTTP ${result.status}`;
    }
  } catch (cause) {
    error = cause instanceof Error ? cause.message.slice(0, 500) : 'delivery failed';
  }
  await deps.db.insert(webhookAttempts).values({
    organizationId,
    deliveryId,
    attempt: job.attempt,
    responseStatus,
    error,
    durationMs: Math.round(performance.now() - started),
    responseBody,
  });
  if (!error) {
    await finishDelivery(deps, deliveryId, {
      status: 'delivered',
      responseStatus,
      deliveredAt: deps.clock(),
    });
    return;
  }
  const final = job.lastAttempt;
  await finishDelivery(deps, deliveryId, {
    status: final ? 'failed' : 'pending',
    responseStatus,
    lastError: error,
  });
  if (final && delivery.event !== 'webhook.test') {
    await deps.db
      .update(webhooks)
      .set({
        active: false,
        disabledReason: `Disabled after deliveries failed for a day (last error: ${error})`,
        updatedAt: deps.clock(),
      })
      .where(and(eq(webhooks.id, webhook.id), eq(webhooks.organizationId, organizationId)));
    deps.log.warn({ webhookId: webhook.id }, 'webhook disabled after persistent delivery failure');
  }
  throw new Error(`webhook delivery failed: ${error}`);
}

async function finishDelivery(
  deps: Pick<DeliverDeps, 'db'>,
  id: string,
  values: Partial<typeof webhookDeliveries.$inferInsert>,
  attempted = true,
): Promise<void> {
  await deps.db
    .update(webhookDeliveries)
    .set({ ...values, ...(attempted ? { attempts: sql`${webhookDeliveries.attempts} + 1` } : {}) })
    .where(eq(webhookDeliveries.id, id));
}
