/**
 * One answered SIP call (inbound or outbound), through the same call path as every other call:
 * a SipTransport over the SIP call's media, then admit (record opened, live-call registry) →
 * load the setup → run (calls/run-call.ts), with SIP call control (BYE, REFER). The session's
 * end hangs up with a BYE when the call is still up; a setup that cannot be loaded or a model
 * that fails ends the call the same way, after the record says why.
 */
import type { SipCall } from '@switchboard/sip';
import { SipTransport, type ToolRegistry, waitForStart } from '@switchboard/voice';
import { endCall } from '../call-record/end-call.ts';
import { admitCall } from '../calls/admit-call.ts';
import { loadCallSetup } from '../calls/load-call-setup.ts';
import { runCall, sessionDefaults } from '../calls/run-call.ts';
import type { AppContext, Logger } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { CallToolContext } from '../tools/context.ts';
import { sipCallControl } from './sip-control.ts';

export async function runSipCall(
  ctx: AppContext,
  options: {
    call: CallRow;
    sipCall: SipCall;
    tools: ToolRegistry<CallToolContext>;
    trunk: { id: string; host: string };
    log: Logger;
  },
): Promise<void> {
  const { call, sipCall, tools, trunk, log } = options;
  const transport = new SipTransport({
    call: sipCall,
    customParameters: { trunkId: trunk.id, direction: call.direction },
    logger: log,
  });
  const start = await waitForStart(transport);
  if (!start) return; // hung up before anything ran
  const admitted = await admitCall(ctx, call, transport, {
    streamSid: start.streamSid,
    transport: 'sip',
    trunkId: trunk.id,
    codec: sipCall.encoding,
  });
  const loaded = await loadCallSetup(ctx, admitted, { tools, resume: null });
  if (loaded.ok) loaded.plan.setup.toolContext.transport = 'sip';
  await runCall(admitted, loaded, {
    ...sessionDefaults(ctx),
    transport,
    tools,
    control: sipCallControl({ call: sipCall, record: admitted.record, trunkHost: trunk.host }),
    log,
    observer: {
      built: (session) => {
        // No answering-machine detection on a trunk: the callee is treated like an unknown answer.
        if (call.direction === 'outbound') {
          queueMicrotask(() => ctx.liveCalls.get(call.organizationId, call.id)?.answeredBy?.('unknown'));
        }
        void session.finished.then(async (ended) => {
          if (ended.reason !== 'transferred') return;
          // The carrier took the call over (REFER): our part of it, and so the call, is over.
          await admitted.record.flushed();
          await endCall(ctx, call, {
            kind: 'twilio',
            status: 'completed',
            durationS: Math.round(ended.durationMs / 1000),
          });
        });
      },
    },
  });
}
