/**
 * One answered SIP call (inbound or outbound) under a CallSession: the SIP call's media through
 * a SipTransport, the shared call wiring (recorder, live registry, setup, features), and SIP
 * call control. The session's end hangs up with a BYE when the call is still up; a model that
 * cannot be reached fails the call (marked failed, then BYE).
 */
import type { SipCall } from '@switchboard/sip';
import { CallSession, SipTransport, type ToolRegistry } from '@switchboard/voice';
import { realtimeModelFor } from '../calls/call-setup.ts';
import { type WiredCall, wireCall } from '../calls/wire-call.ts';
import type { AppContext, Logger } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { CallToolContext } from '../tools/context.ts';
import { sipCallControl } from './sip-control.ts';

export interface SipCallRun {
  session: CallSession<CallToolContext>;
  wired: WiredCall;
}

export function runSipCall(
  ctx: AppContext,
  options: {
    call: CallRow;
    sipCall: SipCall;
    tools: ToolRegistry<CallToolContext>;
    trunk: { id: string; host: string };
    log: Logger;
  },
): SipCallRun {
  const { call, sipCall, tools, trunk, log } = options;
  const transport = new SipTransport({
    call: sipCall,
    customParameters: { trunkId: trunk.id, direction: call.direction },
    logger: log,
  });
  let wired!: WiredCall;
  const session: CallSession<CallToolContext> = new CallSession<CallToolContext>({
    transport,
    model: realtimeModelFor(ctx, 'openai'),
    tools,
    logger: log,
    resolveConfig: async (_start, signal) => {
      const loaded = await wired.loadSetup({ signal, parameters: {} });
      if (!loaded.ok) return null;
      loaded.setup.toolContext.transport = 'sip';
      // No answering-machine detection on a trunk: the callee is treated like an unknown answer.
      if (call.direction === 'outbound') queueMicrotask(() => wired.handle.answeredBy?.('unknown'));
      return loaded.setup;
    },
    // Read when a tool or the dashboard uses it, by which time the call is wired.
    get control() {
      return wired
        ? sipCallControl({ call: sipCall, recorder: wired.recorder, trunkHost: trunk.host })
        : undefined;
    },
    onFatal: async ({ reason, error }) => {
      await wired.fail(reason, error?.message ?? reason);
    },
  });
  wired = wireCall(ctx, { session, call, tools, log });
  wired.recorder.event('stream_started', 0, { transport: 'sip', trunkId: trunk.id, codec: sipCall.encoding });
  void session.finished.then(async (ended) => {
    if (ended.reason !== 'transferred') return;
    // The carrier took the call over (REFER): our part of it is over.
    await wired.recorder.update({
      status: 'completed',
      endedAt: ctx.clock(),
      durationS: Math.round(ended.durationMs / 1000),
    });
  });
  return { session, wired };
}
