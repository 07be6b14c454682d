/**
 * One Twilio media stream: wires the socket into a CallSession. The `start` message must carry
 * a valid stream token bound to this CallSid (else the socket is closed); then the call row,
 * agent and credentials are loaded, events are persisted as they happen, and failures are
 * never silent: the call is marked failed and the caller hears an apology.
 */
import { calls } from '@switchboard/db';
import { CallSession, type SocketLike, type ToolRegistry, TwilioTransport } from '@switchboard/voice';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { CallToolContext } from '../tools/context.ts';
import { buildCallSetup, CallSetupError, realtimeModelFor } from './call-setup.ts';
import { CallRecorder } from './recorder.ts';
import { twilioCallControl } from './twilio-control.ts';

export function handleTwilioStream(
  ctx: AppContext,
  socket: SocketLike,
  tools: ToolRegistry<CallToolContext>,
): void {
  const log = ctx.log.child({ component: 'media-stream' });
  const transport = new TwilioTransport({ socket, logger: log });
  let call: CallRow | undefined;
  let recorder: CallRecorder | undefined;
  let unregister: (() => void) | undefined;

  const failCall = async (reason: string, message: string) => {
    log.warn({ callId: call?.id, reason }, 'call failed');
    await recorder?.update({ status: 'failed', endReason: reason, error: message });
    recorder?.event('failed', 0, { reason, message });
  };

  const session: CallSession<CallToolContext> = new CallSession<CallToolContext>({
    transport,
    model: realtimeModelFor(ctx, 'openai'),
    tools,
    logger: log,
    resolveConfig: async (start) => {
      const claims = ctx.streamTokens.verify(start.customParameters.token, start.callSid, ctx.clock());
      if (!claims) {
        log.warn(
          { hasToken: Boolean(start.customParameters.token) },
          'media stream rejected: missing or invalid token',
        );
        return null;
      }
      const [row] = await ctx.db
        .select()
        .from(calls)
        .where(and(eq(calls.id, claims.callId), eq(calls.providerCallSid, start.callSid)))
        .limit(1);
      if (!row) return null;
      call = row;
      recorder = new CallRecorder(ctx, row);
      recorder.attach(session as CallSession<object>);
      recorder.event('stream_started', 0, { streamSid: start.streamSid });
      unregister = ctx.liveCalls.add(row.id, {
        organizationId: row.organizationId,
        hangup: (reason) => session.control.endCall({ reason, afterPlayback: false }),
      });
      try {
        const { setup, agent } = await buildCallSetup(ctx, row, recorder);
        recorder.setModel(agent.model);
        return setup;
      } catch (error) {
        const message = error instanceof CallSetupError ? error.message : 'could not load the call setup';
        if (!(error instanceof CallSetupError))
          log.error({ err: error, callId: row.id }, 'call setup failed');
        await failCall(error instanceof CallSetupError ? error.reason : 'setup_failed', message);
        return null;
      }
    },
    get control() {
      return call && recorder ? twilioCallControl(ctx, call, recorder, () => transport.close()) : undefined;
    },
    onFatal: async ({ reason, error }) => {
      // Closing the socket (done by the session next) makes Twilio run the <Redirect> after
      // <Connect>; /api/twiml/stream-ended sees the failure and plays the apology.
      await failCall(reason, error?.message ?? reason);
    },
  });

  // The call leaves the registry only once its record is written (shutdown waits for that).
  void session.finished.then(async () => {
    await recorder?.flushed();
    unregister?.();
  });
}
