/**
 * One Twilio media stream: wires the socket into a CallSession. The `start` message must carry
 * a valid stream token bound to this CallSid (else the socket is closed); then the call row,
 * agent and credentials are loaded, events are persisted as they happen, and failures are
 * never silent: the call is marked failed and the caller hears an apology. What every call
 * shares (recorder, live registry, setup) is in wire-call.ts.
 */
import { calls } from '@switchboard/db';
import { CallSession, type SocketLike, type ToolRegistry, TwilioTransport } from '@switchboard/voice';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { CallToolContext } from '../tools/context.ts';
import { resumeOffsetMs } from './call-features.ts';
import { realtimeModelFor } from './call-setup.ts';
import { twilioCallControl } from './twilio-control.ts';
import { type WiredCall, wireCall } from './wire-call.ts';

export function handleTwilioStream(
  ctx: AppContext,
  socket: SocketLike,
  tools: ToolRegistry<CallToolContext>,
): void {
  const log = ctx.log.child({ component: 'media-stream' });
  const transport = new TwilioTransport({ socket, logger: log });
  let call: CallRow | undefined;
  let wired: WiredCall | undefined;

  const session: CallSession<CallToolContext> = new CallSession<CallToolContext>({
    transport,
    model: realtimeModelFor(ctx, 'openai'),
    tools,
    logger: log,
    resolveConfig: async (start, signal) => {
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
      const parameters = start.customParameters;
      const offsetMs = await resumeOffsetMs(ctx.db, row, parameters, ctx.clock());
      wired = wireCall(ctx, { session, call: row, tools, log, offsetMs });
      wired.recorder.event('stream_started', 0, { streamSid: start.streamSid });
      const loaded = await wired.loadSetup({ signal, parameters });
      return loaded.ok ? loaded.setup : null;
    },
    get control() {
      return call && wired
        ? twilioCallControl(ctx, call, wired.recorder, () => transport.close())
        : undefined;
    },
    onFatal: async ({ reason, error }) => {
      // Closing the socket (done by the session next) makes Twilio run the <Redirect> after
      // <Connect>; /api/twiml/stream-ended sees the failure and plays the apology.
      await wired?.fail(reason, error?.message ?? reason);
    },
  });
}
