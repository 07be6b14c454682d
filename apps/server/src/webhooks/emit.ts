/**
 * Sends an event to the organization's webhooks (docs/webhooks.md): one delivery row per
 * enabled webhook that listens to the event, and one `webhook.deliver` job each, written in one
 * transaction. The event id is the same for every webhook (`X-Switchboard-Event-Id`).
 * `emitWebhookEvent` never throws: a failure to queue is logged, the caller's work goes on.
 */
import { randomUUID } from 'node:crypto';
import { type DbOrTx, preparedQuery, ReadCache, webhookDeliveries, webhooks } from '@switchboard/db';
import type { WebhookEventBody, WebhookEventType } from '@switchboard/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { deliverWebhookJob } from './deliver-job.ts';

export type EmitDeps = Pick<AppContext, 'jobs' | 'clock' | 'log'> & { db: DbOrTx };

/** What an event needs of each webhook it may go to. */
const targetColumns = { id: webhooks.id, events: webhooks.events };

/** The organization's enabled webhooks: the lookup behind every event a call emits. */
const activeWebhooks = preparedQuery('active_webhooks_of_org', (db, name) =>
  db
    .select(targetColumns)
    .from(webhooks)
    .where(and(eq(webhooks.organizationId, sql.placeholder('organizationId')), eq(webhooks.active, true)))
    .prepare(name),
);

/**
 * The same, read once per change on the embedded database (@switchboard/db read-cache.ts): a call
 * emits several events. Shared: never changed by a reader.
 */
const activeTargets = new ReadCache<{ id: string; events: string[] }[]>(['webhooks', 'organizations']);

/** Queues the event for every subscribed webhook; resolves with the delivery ids. */
export async function queueWebhookEvent(
  deps: EmitDeps,
  organizationId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  options: { webhookId?: string; retryLimit?: number; includeDisabled?: boolean } = {},
): Promise<string[]> {
  const rows =
    options.includeDisabled || options.webhookId
      ? await deps.db
          .select(targetColumns)
          .from(webhooks)
          .where(
            and(
              eq(webhooks.organizationId, organizationId),
              ...(options.includeDisabled ? [] : [eq(webhooks.active, true)]),
              ...(options.webhookId ? [eq(webhooks.id, options.webhookId)] : []),
            ),
          )
      : await activeTargets.read(deps.db, organizationId, () =>
          activeWebhooks(deps.db).execute({ organizationId }),
        );
  const targets = options.webhookId ? rows : rows.filter((w) => w.events.includes(type));
  if (!targets.length) return [];
  const event: WebhookEventBody = {
    id: randomUUID(),
    type,
    createdAt: deps.clock().toISOString(),
    organizationId,
    data: JSON.parse(JSON.stringify(data)) as Record<string, unknown>,
  };
  return deps.db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const target of targets) {
      const [row] = await tx
        .insert(webhookDeliveries)
        .values({
          organizationId,
          webhookId: target.id,
          event: type,
          eventId: event.id,
          payload: event as unknown as Record<string, unknown>,
        })
        .returning({ id: webhookDeliveries.id });
      await deps.jobs.send(
        deliverWebhookJob,
        { organizationId, deliveryId: row!.id },
        { tx, ...(options.retryLimit === undefined ? {} : { retryLimit: options.retryLimit }) },
      );
      ids.push(row!.id);
    }
    return ids;
  });
}

/** `queueWebhookEvent` for code paths that must not fail because of webhooks. */
export async function emitWebhookEvent(
  deps: Partial<EmitDeps> & Pick<EmitDeps, 'db' | 'clock'>,
  organizationId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<void> {
  const { jobs, log } = deps;
  if (!jobs) return;
  try {
    await queueWebhookEvent({ ...deps, jobs, log: log ?? silent }, organizationId, type, data);
  } catch (error) {
    log?.error({ err: error, event: type }, 'webhook event could not be queued');
  }
}

const silent = { error() {}, warn() {}, info() {}, debug() {} } as unknown as EmitDeps['log'];
