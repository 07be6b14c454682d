/**
 * One Twilio media stream (WS /api/audiostream), top to bottom: wait for `start`, admit the
 * stream (admit-stream.ts: token, call row), load the call's setup (load-call-setup.ts), run it
 * (run-call.ts). A refused stream is closed; a call that cannot go on is marked failed and the
 * socket closed, so Twilio runs the `<Redirect>` after `<Connect>` and the caller hears an
 * apology (services/handle-stream-ended.ts).
 */
import { type SocketLike, type ToolRegistry, TwilioTransport, waitForStart } from '@switchboard/voice';
import type { AppContext } from '../context.ts';
import type { CallToolContext } from '../tools/context.ts';
import { admitStream } from './admit-stream.ts';
import { loadCallSetup } from './load-call-setup.ts';
import { resumeOf } from './resume-after-transfer.ts';
import { runCall } from './run-call.ts';
import { twilioCallControl } from './twilio-control.ts';

/** Takes over an accepted media socket; never throws. */
export async function handleTwilioStream(
  ctx: AppContext,
  socket: SocketLike,
  tools: ToolRegistry<CallToolContext>,
): Promise<void> {
  const log = ctx.log.child({ component: 'media-stream' });
  const transport = new TwilioTransport({ socket, logger: log });
  try {
    const start = await waitForStart(transport);
    if (!start) return;
    const admission = await admitStream(ctx, transport, start);
    if (!admission.ok) {
      const hasToken = Boolean(start.customParameters.token);
      log.warn({ hasToken, refused: admission.reason }, 'media stream rejected: missing or invalid token');
      transport.close();
      return;
    }
    const { admitted } = admission;
    const { call, record } = admitted;
    const resume = resumeOf(start.customParameters);
    const loaded = await loadCallSetup(ctx, admitted, { tools, resume });
    await runCall(admitted, loaded, {
      recordings: ctx.recordings,
      transport,
      tools,
      control: twilioCallControl(ctx, call, record, () => transport.close()),
      log: log.child({ callId: call.id }),
    });
  } catch (error) {
    log.error({ err: error }, 'media stream failed');
    transport.close();
  }
}
