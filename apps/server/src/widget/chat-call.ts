/**
 * The call row of a website chat, written only once the visitor sends a first message (opening
 * the widget stores nothing): a new `web_chat` call, or — when the same browser (visitor id)
 * chatted with this agent in the last 24 hours — that conversation's call, reopened, so the
 * visitor continues where they left off and the log keeps one conversation. The history (the
 * transcript's user and assistant lines) seeds the model and the widget.
 */
import { calls, transcriptSegments, widgetSessions } from '@switchboard/db';
import { and, asc, desc, eq, gt, isNotNull, ne } from 'drizzle-orm';
import { updateCall } from '../call-record/update-call.ts';
import type { AppContext } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';
import { startWebCall } from '../services/start-web-call.ts';
import type { WidgetSessionRow } from './sessions.ts';

const CONTINUE_WITHIN_MS = 24 * 3_600_000;
/** Lines of an earlier conversation given back to the model and the widget. */
const HISTORY_LINES = 60;

type Ctx = Pick<AppContext, 'db' | 'live' | 'clock'>;

export interface ChatLine {
  role: 'user' | 'assistant';
  text: string;
}

/** The conversation this browser had with the agent in the last 24 hours, with its lines. */
export async function findPreviousChat(
  ctx: Ctx,
  session: WidgetSessionRow,
): Promise<{ call: CallRow; history: ChatLine[] } | null> {
  const call = await previousChatCall(ctx, session);
  return call ? { call, history: await historyOf(ctx, call) } : null;
}

/** The call the conversation is stored in: the earlier one, reopened, or a new one. */
export async function openChatCall(
  ctx: Ctx,
  session: WidgetSessionRow,
  agent: Pick<AgentRow, 'id' | 'name'>,
  earlier: CallRow | null,
): Promise<CallRow> {
  if (earlier) {
    const reopened = await updateCall(ctx, earlier, {
      status: 'in-progress',
      endedAt: null,
      endReason: null,
      durationS: null,
    });
    if (reopened) return reopened;
  }
  return startWebCall(ctx, { organizationId: session.organizationId, agent, channel: 'web_chat' });
}

async function previousChatCall(ctx: Ctx, session: WidgetSessionRow): Promise<CallRow | null> {
  if (!session.visitorHash) return null;
  const since = new Date(ctx.clock().getTime() - CONTINUE_WITHIN_MS);
  const [row] = await ctx.db
    .select({ call: calls })
    .from(widgetSessions)
    .innerJoin(calls, eq(calls.id, widgetSessions.callId))
    .where(
      and(
        eq(widgetSessions.organizationId, session.organizationId),
        eq(widgetSessions.agentId, session.agentId),
        eq(widgetSessions.visitorHash, session.visitorHash),
        eq(widgetSessions.channel, 'chat'),
        isNotNull(widgetSessions.endedAt),
        ne(widgetSessions.id, session.id),
        gt(widgetSessions.createdAt, since),
        eq(calls.organizationId, session.organizationId),
        eq(calls.channel, 'web_chat'),
      ),
    )
    .orderBy(desc(widgetSessions.createdAt))
    .limit(1);
  return row?.call ?? null;
}

async function historyOf(ctx: Ctx, call: CallRow): Promise<ChatLine[]> {
  const rows = await ctx.db
    .select({ role: transcriptSegments.role, text: transcriptSegments.text })
    .from(transcriptSegments)
    .where(
      and(eq(transcriptSegments.callId, call.id), eq(transcriptSegments.organizationId, call.organizationId)),
    )
    .orderBy(asc(transcriptSegments.id));
  return rows
    .filter((row): row is ChatLine => row.role === 'user' || row.role === 'assistant')
    .slice(-HISTORY_LINES);
}
