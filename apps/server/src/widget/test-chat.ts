/**
 * WS /api/agents/:id/test-chat?ticket=… (or the deprecated ?token=…): the studio's text test chat ("Chat with this agent"),
 * the website chat's engine (chat-conversation.ts, chat-agent.ts) with the dashboard's rules.
 * The caller is checked after the upgrade like the browser test call (a session token or API
 * key, role agent or higher, the agent in the caller's organization), the organization must have
 * a text model key, and test chats are capped per user and organization like test calls
 * (BROWSER_CALLS_PER_USER, _PER_ORG; counted apart from them). Then `{type:'ready'}`; the first
 * message stores a `web_chat` call from `browser` (a test, like the microphone test call) and
 * `{type:'started', conversationId}` names it. Tool calls are shown as `{type:'tool_call'}`,
 * model failures as errors with their cause. Refusals: `{type:'error', code, message}` and a
 * close (4400 agent id, 4401 token, 4403 role, 4404 agent, 4412 no model key, 4429 too many,
 * 4503 draining, 1011). Never throws.
 */
import { SAMPLE_PROSPECT, uuidSchema } from '@switchboard/shared';
import type { ToolRegistry } from '@switchboard/voice';
import { CallRecorder } from '../call-record/recorder.ts';
import type { ConcurrencyCaps } from '../calls/concurrency-caps.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AgentRow } from '../mappers/agents.ts';
import { authorizeToken } from '../plugins/auth.ts';
import { getAgent } from '../services/get-agent.ts';
import { startWebCall } from '../services/start-web-call.ts';
import { resolveTextModel } from '../text/resolve-text-model.ts';
import type { CallToolContext } from '../tools/context.ts';
import { beginChat } from './chat-agent.ts';
import { ChatConversation, type ChatStart } from './chat-conversation.ts';
import type { WidgetSocket } from './chat-socket.ts';

export interface TestChatRequest {
  /** Session JWT or API key (the deprecated `?token=`, or the Authorization header of non-browser clients). */
  token: string | undefined;
  /** Single-use ticket (`?ticket=`, POST /api/auth/ticket); wins over `token`. */
  ticket?: string | undefined;
  agentId: string | undefined;
}

type Refusal = { ok: false; close: number; code: string; message: string };
const refusal = (close: number, code: string, message: string): Refusal => ({
  ok: false,
  close,
  code,
  message,
});

const OPEN = 1;

export async function handleTestChat(
  ctx: AppContext,
  socket: WidgetSocket,
  request: TestChatRequest,
  registry: ToolRegistry<CallToolContext>,
  caps: ConcurrencyCaps,
): Promise<void> {
  const log = ctx.log.child({ component: 'test-chat' });
  let closed = false;
  let conversation: ChatConversation | null = null;
  let release: (() => void) | null = null;
  socket.on('close', () => {
    closed = true;
    if (conversation) void conversation.end('caller_hangup');
    else release?.();
  });
  socket.on('message', (data, isBinary) => {
    if (conversation) conversation.receive(Buffer.isBuffer(data) ? data : Buffer.from(data), isBinary);
    else refuse(socket, refusal(4409, 'not_ready', 'Wait for {"type":"ready"} before sending messages.'));
  });
  try {
    const admitted = await admit(ctx, request, caps);
    if (!admitted.ok) return refuse(socket, admitted);
    release = admitted.release;
    if (closed) return release();
    const { organizationId, agent } = admitted;
    const begin = async (): Promise<ChatStart> => {
      const call = await startWebCall(ctx, { organizationId, agent, channel: 'web_chat', from: 'browser' });
      const recorder = await CallRecorder.open(ctx, call);
      recorder.event('stream_started', { streamSid: call.id, transport: 'test_chat' });
      return beginChat(
        ctx,
        call,
        recorder,
        registry,
        (conversationId) => conversation?.send({ type: 'started', conversationId }),
        { surface: 'test', prospect: SAMPLE_PROSPECT },
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
      log: log.child({ agentId: agent.id }),
      now: () => ctx.clock().getTime(),
      history: [],
      test: true,
      onEnd: async () => {
        clearTimeout(timer);
        release?.();
      },
    });
    if (closed) return void conversation.end('caller_hangup');
    conversation.send({ type: 'ready', conversationId: null, history: [] });
  } catch (error) {
    release?.();
    log.error({ err: error }, 'test chat failed to start');
    refuse(socket, refusal(1011, 'unavailable', 'The test chat could not be started. Try again.'));
  }
}

type Admission = { ok: true; organizationId: string; agent: AgentRow; release: () => void } | Refusal;

async function admit(ctx: AppContext, request: TestChatRequest, caps: ConcurrencyCaps): Promise<Admission> {
  if (!request.token && !request.ticket)
    return refusal(4401, 'unauthorized', 'Missing token: open with ?ticket= (from POST /api/auth/ticket)');
  const authorized = await authorizeToken(ctx, request, 'agent');
  if (!authorized.ok) {
    const forbidden = authorized.error.code === 'forbidden';
    return refusal(forbidden ? 4403 : 4401, authorized.error.code, authorized.error.message);
  }
  const { organizationId, userId, apiKeyId } = authorized.auth;
  const agentId = uuidSchema.safeParse(request.agentId);
  if (!agentId.success) return refusal(4400, 'bad_request', 'The agent id must be the id of an agent');
  let agent: AgentRow;
  try {
    agent = await getAgent(ctx, { organizationId, id: agentId.data });
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      return refusal(4404, 'not_found', error.message);
    }
    throw error;
  }
  if (ctx.lifecycle.draining) {
    return refusal(4503, 'draining', 'The server is restarting; try again in a minute.');
  }
  if (!(await resolveTextModel(ctx, organizationId))) {
    return refusal(
      4412,
      'no_model_key',
      'Add an OpenAI key in Settings → Credentials to chat with this agent (a Gemini key works too).',
    );
  }
  const { perUser, perOrg } = ctx.config.limits.browserCalls;
  const who = userId ?? `key:${apiKeyId ?? organizationId}`;
  const slot = caps.acquire([
    { key: `user:${who}`, limit: perUser },
    { key: `org:${organizationId}`, limit: perOrg },
  ]);
  if (!slot.ok) {
    const message = slot.full.startsWith('user:')
      ? `You already have ${perUser} test chat(s) open; close one first.`
      : `Your organization already has ${perOrg} test chat(s) open; close one first.`;
    return refusal(4429, 'too_many', message);
  }
  return { ok: true, organizationId, agent, release: slot.release };
}

function refuse(socket: WidgetSocket, r: Refusal): void {
  if (socket.readyState !== OPEN) return;
  socket.send(JSON.stringify({ type: 'error', code: r.code, message: r.message }));
  socket.close(r.close, r.code);
}
