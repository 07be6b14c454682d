/**
 * An agent's widget settings (docs/widget.md): read (created on first read, disabled, with a
 * fresh public key), changed by an admin, and found by public key for the public endpoints.
 * Every query is scoped by organization, except the lookup by key (the key names the widget).
 */
import { randomBytes } from 'node:crypto';
import { agentWidgets } from '@switchboard/db';
import type { UpdateWidgetSettings, WidgetSettings } from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { getAgent } from '../services/get-agent.ts';

export type WidgetRow = typeof agentWidgets.$inferSelect;

export function newWidgetKey(): string {
  return `wk_${randomBytes(24).toString('base64url')}`;
}

export function toWidgetSettingsJson(row: WidgetRow): WidgetSettings {
  return {
    agentId: row.agentId,
    publicKey: row.publicKey,
    enabled: row.enabled,
    allowedOrigins: row.allowedOrigins,
    channels: row.channels,
    theme: row.theme,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The agent's widget, created (disabled) on first read; 404 for an agent of another organization. */
export async function getWidgetSettings(
  deps: ServiceDeps,
  input: { organizationId: string; agentId: string },
): Promise<WidgetRow> {
  await getAgent(deps, { organizationId: input.organizationId, id: input.agentId });
  const where = and(
    eq(agentWidgets.organizationId, input.organizationId),
    eq(agentWidgets.agentId, input.agentId),
  );
  const [found] = await deps.db.select().from(agentWidgets).where(where).limit(1);
  if (found) return found;
  await deps.db
    .insert(agentWidgets)
    .values({ organizationId: input.organizationId, agentId: input.agentId, publicKey: newWidgetKey() })
    .onConflictDoNothing({ target: agentWidgets.agentId });
  const [row] = await deps.db.select().from(agentWidgets).where(where).limit(1);
  return row!;
}

export async function updateWidgetSettings(
  deps: ServiceDeps,
  input: { organizationId: string; agentId: string; data: UpdateWidgetSettings & { rotateKey?: boolean } },
): Promise<WidgetRow> {
  const current = await getWidgetSettings(deps, input);
  const { rotateKey, ...data } = input.data;
  const [row] = await deps.db
    .update(agentWidgets)
    .set({
      ...(data.enabled === undefined ? {} : { enabled: data.enabled }),
      ...(data.allowedOrigins ? { allowedOrigins: [...new Set(data.allowedOrigins)] } : {}),
      ...(data.channels ? { channels: data.channels } : {}),
      ...(data.theme ? { theme: data.theme } : {}),
      ...(rotateKey ? { publicKey: newWidgetKey() } : {}),
      updatedAt: deps.clock(),
    })
    .where(and(eq(agentWidgets.id, current.id), eq(agentWidgets.organizationId, input.organizationId)))
    .returning();
  return row!;
}

/** The widget a public key names, or null. */
export async function findWidgetByKey(
  deps: Pick<ServiceDeps, 'db'>,
  publicKey: string,
): Promise<WidgetRow | null> {
  const [row] = await deps.db
    .select()
    .from(agentWidgets)
    .where(eq(agentWidgets.publicKey, publicKey))
    .limit(1);
  return row ?? null;
}

/** Whether a page at `origin` may use this widget: the exact origin is on the allowlist. */
export function originAllowed(
  widget: Pick<WidgetRow, 'allowedOrigins'>,
  origin: string | undefined,
): boolean {
  if (!origin) return false;
  let normalized: string;
  try {
    normalized = new URL(origin).origin;
  } catch {
    return false;
  }
  return normalized !== 'null' && widget.allowedOrigins.includes(normalized);
}

/** Whether the widget a session was issued for is still switched on (checked when its socket opens). */
export async function widgetStillOn(
  deps: Pick<ServiceDeps, 'db'>,
  session: { organizationId: string; agentId: string },
): Promise<boolean> {
  const [row] = await deps.db
    .select({ enabled: agentWidgets.enabled })
    .from(agentWidgets)
    .where(
      and(eq(agentWidgets.organizationId, session.organizationId), eq(agentWidgets.agentId, session.agentId)),
    )
    .limit(1);
  return row?.enabled === true;
}
