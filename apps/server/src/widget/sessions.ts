/**
 * Widget session tokens (docs/widget.md "Security model"): `issueWidgetSession` answers
 * `POST /api/widget/sessions` after the key, switch, origin, channel and caps are checked (a
 * refusal stores nothing); the token is random, single use and valid 60 s, and only its hash is
 * stored. `consumeWidgetToken` spends it atomically when the chat or voice socket opens from
 * the same origin; `endWidgetSession` marks the session over. Counting rows (not process
 * memory) makes the caps hold across server processes.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { widgetSessions } from '@switchboard/db';
import type { WidgetChannel } from '@switchboard/shared';
import { and, count, eq, gt, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { WidgetRow } from './settings.ts';

export const WIDGET_TOKEN_TTL_MS = 60_000;
const HOUR_MS = 3_600_000;

type Ctx = Pick<AppContext, 'db' | 'config' | 'clock'>;
export type WidgetSessionRow = typeof widgetSessions.$inferSelect;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The visitor's IP, keyed with the app secret so stored rows do not reveal it. */
export function ipHashOf(ctx: Pick<AppContext, 'config'>, ip: string): string {
  return createHmac('sha256', ctx.config.appSecret).update(`widget-ip:${ip}`).digest('hex');
}

export function visitorHashOf(visitorId: string): string {
  return sha256(`widget-visitor:${visitorId}`);
}

/** Sessions that hold a place: a token not yet used nor expired, or a socket open and not stale. */
function holdingPlace(ctx: Ctx, now: Date): SQL {
  const { voiceMaxSeconds, chatMaxSeconds } = ctx.config.widget;
  // A process that died mid-session never wrote `ended_at`: such rows stop counting after the longest session.
  const stale = new Date(
    now.getTime() - Math.max(voiceMaxSeconds, chatMaxSeconds) * 1000 - WIDGET_TOKEN_TTL_MS,
  );
  return or(
    and(isNull(widgetSessions.usedAt), gt(widgetSessions.expiresAt, now)),
    and(isNotNull(widgetSessions.usedAt), isNull(widgetSessions.endedAt), gt(widgetSessions.usedAt, stale)),
  )!;
}

async function countWhere(ctx: Ctx, where: SQL): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(widgetSessions).where(where);
  return Number(row?.n ?? 0);
}

export interface IssueInput {
  widget: WidgetRow;
  channel: WidgetChannel;
  origin: string;
  ip: string;
  visitorId: string | undefined;
}

/** Checks the caps and issues a token; throws AppError('rate_limited') with a friendly message. */
export async function issueWidgetSession(
  ctx: Ctx,
  input: IssueInput,
): Promise<{ token: string; expiresAt: Date }> {
  const { widget } = input;
  const limits = ctx.config.widget;
  const now = ctx.clock();
  const ipHash = ipHashOf(ctx, input.ip);
  const busy = 'Our assistant is busy right now. Please try again in a few minutes.';
  const recentFromIp = and(
    eq(widgetSessions.ipHash, ipHash),
    gt(widgetSessions.createdAt, new Date(now.getTime() - HOUR_MS)),
  )!;
  if ((await countWhere(ctx, recentFromIp)) >= limits.sessionsPerIpPerHour) {
    throw new AppError('rate_limited', 'Too many conversations from this network. Please try again later.', {
      limit: 'sessions_per_ip_per_hour',
    });
  }
  const open = holdingPlace(ctx, now);
  if (
    (await countWhere(ctx, and(eq(widgetSessions.agentId, widget.agentId), open)!)) >=
    limits.maxSessionsPerAgent
  ) {
    throw new AppError('rate_limited', busy, { limit: 'sessions_per_agent' });
  }
  if (
    (await countWhere(ctx, and(eq(widgetSessions.organizationId, widget.organizationId), open)!)) >=
    limits.maxSessionsPerOrg
  ) {
    throw new AppError('rate_limited', busy, { limit: 'sessions_per_org' });
  }
  const token = `wst_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + WIDGET_TOKEN_TTL_MS);
  await ctx.db.insert(widgetSessions).values({
    organizationId: widget.organizationId,
    agentId: widget.agentId,
    channel: input.channel,
    tokenHash: sha256(token),
    origin: input.origin,
    ipHash,
    visitorHash: input.visitorId ? visitorHashOf(input.visitorId) : null,
    expiresAt,
    createdAt: now,
  });
  return { token, expiresAt };
}

/**
 * Spends a token for `channel` opened from `origin`: the session row, or null when the token is
 * unknown, expired, already used, for the other channel or issued to another origin.
 */
export async function consumeWidgetToken(
  ctx: Ctx,
  input: { token: string | undefined; channel: WidgetChannel; origin: string | undefined },
): Promise<WidgetSessionRow | null> {
  if (!input.token || !input.origin || input.token.length > 100) return null;
  const now = ctx.clock();
  const [row] = await ctx.db
    .update(widgetSessions)
    .set({ usedAt: now })
    .where(
      and(
        eq(widgetSessions.tokenHash, sha256(input.token)),
        isNull(widgetSessions.usedAt),
        gt(widgetSessions.expiresAt, now),
        eq(widgetSessions.channel, input.channel),
        eq(widgetSessions.origin, input.origin),
      ),
    )
    .returning();
  return row ?? null;
}

/** Attaches the session's call (as soon as it has one). */
export async function linkWidgetSessionCall(
  ctx: Pick<AppContext, 'db'>,
  session: WidgetSessionRow,
  callId: string,
) {
  await ctx.db
    .update(widgetSessions)
    .set({ callId })
    .where(and(eq(widgetSessions.id, session.id), eq(widgetSessions.organizationId, session.organizationId)));
}

/** The session is over: it no longer counts against the concurrency caps. */
export async function endWidgetSession(ctx: Pick<AppContext, 'db' | 'clock'>, session: WidgetSessionRow) {
  await ctx.db
    .update(widgetSessions)
    .set({ endedAt: ctx.clock() })
    .where(and(eq(widgetSessions.id, session.id), eq(widgetSessions.organizationId, session.organizationId)));
}
