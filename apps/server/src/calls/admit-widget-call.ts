/**
 * Admission of a website widget voice session (WS /api/widget/voice; docs/widget.md): beside
 * admit-browser-call.ts, with a widget token instead of a dashboard login. The single-use token
 * is spent from the origin it was issued to; the widget must still be on and the agent exist; the call gets its row
 * (direction `web`, channel `web_voice`) unless the visitor already left. Refusals: 4401 (token
 * missing, unknown, expired, used, or from another origin), 4404 (agent gone).
 */
import type { BrowserTransport } from '@switchboard/voice';
import type { AppContext } from '../context.ts';
import { getAgent } from '../services/get-agent.ts';
import { startWebCall } from '../services/start-web-call.ts';
import {
  consumeWidgetToken,
  endWidgetSession,
  linkWidgetSessionCall,
  type WidgetSessionRow,
} from '../widget/sessions.ts';
import { widgetStillOn } from '../widget/settings.ts';
import type { BrowserAdmission } from './admit-browser-call.ts';
import { admitCall } from './admit-call.ts';
import type { BrowserCallVariant } from './browser-call.ts';

export function widgetVoiceCall(
  ctx: AppContext,
  request: { token: string | undefined; origin: string | undefined },
): BrowserCallVariant {
  let session: WidgetSessionRow | null = null;
  return {
    maxDurationMs: ctx.config.widget.voiceMaxSeconds * 1000,
    admit: async (transport: BrowserTransport): Promise<BrowserAdmission> => {
      session = await consumeWidgetToken(ctx, { ...request, channel: 'voice' });
      if (!session) {
        return {
          ok: false,
          code: 4401,
          message: 'This voice link has expired. Please start the call again.',
        };
      }
      const { organizationId, agentId } = session;
      const on = await widgetStillOn(ctx, session);
      const agent = on ? await getAgent(ctx, { organizationId, id: agentId }).catch(() => null) : null;
      if (!agent) return { ok: false, code: 4404, message: 'This assistant is not available.' };
      if (transport.closed) return { ok: false, code: null };
      const call = await startWebCall(ctx, { organizationId, agent, channel: 'web_voice' });
      await linkWidgetSessionCall(ctx, session, call.id);
      const started = {
        transport: 'browser' as const,
        streamSid: transport.streamSid,
        origin: session.origin,
      };
      return { ok: true, admitted: await admitCall(ctx, call, transport, started) };
    },
    finished: async () => {
      if (session) await endWidgetSession(ctx, session);
    },
  };
}
