/**
 * WS /api/widget/chat?token=…: a website chat, top to bottom. The single-use token is spent
 * (from the origin it was issued to) before anything is stored; then `{type:'ready',
 * conversationId, history}` (the returning visitor's earlier conversation, or null and []). The
 * visitor's first message stores the conversation — its call (channel `web_chat`, new or
 * continued: chat-call.ts), its record, the agent's chat plan — and `{type:'started',
 * conversationId}` says which call it is. A refusal is `{type:'error', code, message}` and a
 * close (4401 token, 4404 widget switched off or agent gone, 1011 cannot start). Never throws.
 */
import type { ToolRegistry } from '@switchboard/voice';
import { CallRecorder } from '../call-record/recorder.ts';
import type { AppContext } from '../context.ts';
import { getAgent } from '../services/get-agent.ts';
import type { CallToolContext } from '../tools/context.ts';
import { beginChat } from './chat-agent.ts';
import { findPreviousChat, openChatCall } from './chat-call.ts';
import { ChatConversation, type ChatStart } from './chat-conversation.ts';
import { consumeWidgetToken, endWidgetSession, linkWidgetSessionCall } from './sessions.ts';
import { widgetStillOn } from './settings.ts';

export interface WidgetSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  readonly readyState: number;
}

const OPEN = 1;

export async function handleWidgetChat(
  ctx: AppContext,
  socket: WidgetSocket,
  request: { token: string | undefined; origin: string | undefined },
  registry: ToolRegistry<CallToolContext>,
): Promise<void> {
  const log = ctx.log.child({ component: 'widget-chat' });
  let closed = false;
  let conversation: ChatConversation | null = null;
  socket.on('close', () => {
    closed = true;
    void conversation?.end('caller_hangup');
  });
  socket.on('message', (data, isBinary) => {
    if (conversation) conversation.receive(Buffer.isBuffer(data) ? data : Buffer.from(data), isBinary);
    else refuse(socket, 4409, 'not_ready', 'Wait for {"type":"ready"} before sending messages.');
  });
  try {
    const session = await consumeWidgetToken(ctx, { ...request, channel: 'chat' });
    if (!session) {
      return refuse(socket, 4401, 'invalid_token', 'This chat link has expired. Please reopen the chat.');
    }
    const on = await widgetStillOn(ctx, session);
    const agent = on
      ? await getAgent(ctx, { organizationId: session.organizationId, id: session.agentId }).catch(() => null)
      : null;
    if (!agent || closed) {
      await endWidgetSession(ctx, session);
      return agent ? undefined : refuse(socket, 4404, 'unavailable', 'This assistant is not available.');
    }
    const earlier = await findPreviousChat(ctx, session);
    const begin = async (): Promise<ChatStart> => {
      const call = await openChatCall(ctx, session, agent, earlier?.call ?? null);
      await linkWidgetSessionCall(ctx, session, call.id);
      const recorder = await CallRecorder.open(ctx, call);
      recorder.event('stream_started', {
        streamSid: session.id,
        transport: 'widget_chat',
        origin: session.origin,
      });
      return beginChat(ctx, call, recorder, registry, (conversationId) =>
        conversation?.send({ type: 'started', conversationId }),
      );
    };
    const timer = setTimeout(
      () => void conversation?.end('max_duration'),
      ctx.config.widget.chatMaxSeconds * 1000,
    );
    timer.unref?.();
    conversation = new ChatConversation({
      socket,
      begin,
      registry,
      limits: ctx.config.widget,
      log: log.child({ widgetSessionId: session.id }),
      now: () => ctx.clock().getTime(),
      history: earlier?.history ?? [],
      onEnd: async () => {
        clearTimeout(timer);
        await endWidgetSession(ctx, session).catch((error: unknown) =>
          log.error({ err: error }, 'could not end the widget session'),
        );
      },
    });
    if (closed) return void conversation.end('caller_hangup');
    conversation.send({
      type: 'ready',
      conversationId: earlier?.call.id ?? null,
      history: earlier?.history ?? [],
    });
  } catch (error) {
    log.error({ err: error }, 'widget chat failed to start');
    refuse(socket, 1011, 'unavailable', 'The chat could not be started. Please try again later.');
  }
}

function refuse(socket: WidgetSocket, code: number, errorCode: string, message: string): void {
  if (socket.readyState !== OPEN) return;
  socket.send(JSON.stringify({ type: 'error', code: errorCode, message }));
  socket.close(code, errorCode);
}
