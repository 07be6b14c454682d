/**
 * One "Test in browser" call (docs/telephony.md "Browser calls"): the dashboard's microphone
 * over a WebSocket, through the same CallSession, tools, recorder and live registry as a phone
 * call. The browser cannot send headers, so the caller is checked here, after the upgrade, with
 * the auth plugin's rules (role agent or higher); a refusal is `{type:'error'}` then a close
 * with 4400 (no agentId), 4401 (token), 4403 (role) or 4404 (agent not in the organization).
 */
import { randomUUID } from 'node:crypto';
import { uuidSchema } from '@switchboard/shared';
import { BrowserTransport, CallSession, type SocketLike, type ToolRegistry } from '@switchboard/voice';
import type { AppContext, Logger } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AgentRow } from '../mappers/agents.ts';
import { toCallJson } from '../mappers/calls.ts';
import { authorizeToken } from '../plugins/auth.ts';
import { getAgent } from '../services/get-agent.ts';
import { startWebCall } from '../services/start-web-call.ts';
import type { CallToolContext } from '../tools/context.ts';
import { realtimeModelFor } from './call-setup.ts';
import { CallRecorder } from './recorder.ts';
import { type WiredCall, wireCall } from './wire-call.ts';

export interface BrowserCallRequest {
  /** Session JWT or API key (`?token=`, or the Authorization header of non-browser clients). */
  token: string | undefined;
  agentId: string | undefined;
}

const CLOSE_CODES = { bad_request: 4400, unauthorized: 4401, forbidden: 4403, not_found: 4404 } as const;

/** Takes over an accepted browser socket; never throws. */
export function handleBrowserCall(
  ctx: AppContext,
  socket: SocketLike,
  request: BrowserCallRequest,
  tools: ToolRegistry<CallToolContext>,
): void {
  const log = ctx.log.child({ component: 'browser-call' });
  // Listening from the first moment, so a `stop` or a close during the checks is not lost.
  const transport = new BrowserTransport({
    socket,
    callSid: `web-${randomUUID()}`,
    customParameters: request.agentId ? { agentId: request.agentId } : {},
    logger: log,
  });
  admit(ctx, request)
    .then((admitted) => {
      if (!admitted.ok) {
        log.info({ code: admitted.code }, 'browser call refused');
        transport.reject(admitted.code, admitted.message);
        return;
      }
      return run(ctx, transport, admitted, tools, log);
    })
    .catch((error: unknown) => {
      log.error({ err: error }, 'browser call failed to start');
      transport.reject(1011, 'The test call could not be started');
    });
}

type Admission =
  | { ok: true; organizationId: string; agent: AgentRow }
  | { ok: false; code: number; message: string };

async function admit(ctx: AppContext, request: BrowserCallRequest): Promise<Admission> {
  const refuse = (code: keyof typeof CLOSE_CODES, message: string): Admission => ({
    ok: false,
    code: CLOSE_CODES[code],
    message,
  });
  if (!request.token) return refuse('unauthorized', 'Missing token (?token=<session token or API key>)');
  const authorized = await authorizeToken(ctx, request.token, 'agent');
  if (!authorized.ok) {
    const code = authorized.error.code === 'forbidden' ? 'forbidden' : 'unauthorized';
    return refuse(code, authorized.error.message);
  }
  const { organizationId } = authorized.auth;
  const agentId = uuidSchema.safeParse(request.agentId);
  if (!agentId.success) return refuse('bad_request', 'agentId must be the id of an agent');
  try {
    const agent = await getAgent(ctx, { organizationId, id: agentId.data });
    return { ok: true, organizationId, agent };
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return refuse('not_found', error.message);
    throw error;
  }
}

async function run(
  ctx: AppContext,
  transport: BrowserTransport,
  admitted: { organizationId: string; agent: AgentRow },
  tools: ToolRegistry<CallToolContext>,
  log: Logger,
): Promise<void> {
  if (transport.closed) return; // the browser left during the checks
  const call = await startWebCall(ctx, admitted);
  ctx.live.publish(call.organizationId, { type: 'call.updated', call: toCallJson(call) });
  if (transport.closed) {
    // Gone while the row was written: nothing will end the session, so end the record here.
    const now = ctx.clock();
    await new CallRecorder(ctx, call).update({
      status: 'completed',
      endedAt: now,
      durationS: 0,
      endReason: 'socket_closed',
    });
    return;
  }
  const callLog = log.child({ callId: call.id, callSid: transport.callSid });
  let refused = false;
  let wired: WiredCall | undefined;
  const session: CallSession<CallToolContext> = new CallSession<CallToolContext>({
    transport,
    model: realtimeModelFor(ctx, admitted.agent.provider),
    tools,
    logger: callLog,
    resolveConfig: async (_start, signal) => {
      const loaded = await wired!.loadSetup({ signal, parameters: {} });
      if (loaded.ok) return loaded.setup;
      refused = true;
      transport.notify({ type: 'error', message: `The test call cannot start: ${loaded.message}.` });
      return null;
    },
    control: {
      // The session closes the socket right after.
      hangup: async (reason) => wired?.recorder.eventNow('hangup', { reason }),
      redirect: async () => {
        throw new Error('Transfers are only possible on phone calls');
      },
    },
    onFatal: async ({ reason, error }) => {
      const detail = error?.message ?? reason;
      // Before `ready` the error is the whole story; mid-call `ended` still follows it.
      if (session.phase !== 'live') refused = true;
      transport.notify({ type: 'error', message: `The model connection failed (${detail}).` });
      await wired?.fail(reason, detail);
    },
  });
  wired = wireCall(ctx, { session, call, tools, log: callLog });
  wired.recorder.event('stream_started', 0, { transport: 'browser', streamSid: transport.streamSid });

  session.on('ready', () => transport.notify({ type: 'ready', callId: call.id }));
  session.on('transcript', ({ role, text, final }) =>
    transport.notify({ type: 'transcript', role, text, final }),
  );
  session.on('ended', ({ reason }) => {
    // An `error` already told the browser why; `ended` would only overwrite it.
    if (!refused) transport.notify({ type: 'ended', reason });
  });
}
