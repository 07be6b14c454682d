/**
 * One Twilio media stream (WS /api/audiostream), top to bottom: wait for `start` (the route's
 * pending-socket guard closes a socket that does not send it in time), admit the stream
 * (admit-stream.ts: single-use token, call row), load the call's setup (load-call-setup.ts), run
 * it (run-call.ts), then mark the call's stream over (stream-grants.ts). A refused stream is closed; a call that cannot go on is marked failed and the
 * socket closed, so Twilio runs the `<Redirect>` after `<Connect>` and the caller hears an
 * apology (services/handle-stream-ended.ts).
 */
import { type SocketLike, type ToolRegistry, TwilioTransport, waitForStart } from '@switchboard/voice';
import type { AppContext } from '../context.ts';
import type { CallToolContext } from '../tools/context.ts';
import { admitStream } from './admit-stream.ts';
import { loadCallSetup } from './load-call-setup.ts';
import type { PendingHold } from './pending-sockets.ts';
import { resumeOf } from './resume-after-transfer.ts';
import { runCall, sessionDefaults } from './run-call.ts';
import { releaseStream } from './stream-grants.ts';
import { twilioCallControl } from './twilio-control.ts';

/** Takes over an accepted media socket; never throws. */
export async function handleTwilioStream(
  ctx: AppContext,
  socket: SocketLike,
  tools: ToolRegistry<CallToolContext>,
  pending?: PendingHold,
): Promise<void> {
  const log = ctx.log.child({ component: 'media-stream' });
  const transport = new TwilioTransport({ socket, logger: log });
  try {
    const start = await waitForStart(transport);
    if (!start) return;
    const admission = await admitStream(ctx, transport, start).finally(() => pending?.settle());
    if (!admission.ok) {
      const hasToken = Boolean(start.customParameters.token);
      log.warn(
        { hasToken, refused: admission.reason },
        'media stream rejected: missing, invalid or used token',
      );
      transport.close();
      return;
    }
    const { admitted } = admission;
    const { call, record } = admitted;
    const resume = resumeOf(admission.parameters);
    try {
      const loaded = await loadCallSetup(ctx, admitted, { tools, resume });
      await runCall(admitted, loaded, {
        ...sessionDefaults(ctx),
        transport,
        tools,
        control: twilioCallControl(ctx, call, record, () => transport.close()),
        log: log.child({ callId: call.id }),
      });
    } finally {
      await releaseStream(ctx, call.id);
    }
  } catch (error) {
    log.error({ err: error }, 'media stream failed');
    transport.close();
  }
}
