/**
 * What every call does once its row is known, whatever carries the audio (a Twilio media stream,
 * a browser socket): a CallRecorder persists the session's events, the call joins the live-call
 * registry (dashboard hang-up, `say`, voicemail), its setup is loaded from the database, and it
 * leaves the registry only once its final record is written (shutdown waits for that).
 */
import type { CallSession, CallSetup, ToolRegistry } from '@switchboard/voice';
import type { AppContext, Logger } from '../context.ts';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { CallToolContext } from '../tools/context.ts';
import { wireCallFeatures } from './call-features.ts';
import { buildCallSetup, CallSetupError } from './call-setup.ts';
import type { LiveCallHandle } from './live-registry.ts';
import { CallRecorder } from './recorder.ts';

export type LoadedSetup =
  | { ok: true; setup: CallSetup<CallToolContext>; agent: AgentRow }
  /** The call is marked failed; `message` is safe to show (e.g. "no openai API key is configured"). */
  | { ok: false; reason: string; message: string };

export interface WiredCall {
  recorder: CallRecorder;
  handle: LiveCallHandle;
  /** Marks the call failed (status, end reason, error) and records a `failed` event. */
  fail(reason: string, message: string): Promise<void>;
  /** Agent, instructions, credentials and model for the session; the call fails when it cannot be built. */
  loadSetup(options: { signal: AbortSignal; parameters: Record<string, string> }): Promise<LoadedSetup>;
}

export function wireCall(
  ctx: AppContext,
  options: {
    session: CallSession<CallToolContext>;
    call: CallRow;
    /** The tool registry of the session (DTMF shortcuts run its tools). */
    tools: ToolRegistry<CallToolContext>;
    log: Logger;
    /** Where this stream's timeline starts within the call (a stream resumed after a transfer). */
    offsetMs?: number;
  },
): WiredCall {
  const { session, call, tools, log } = options;
  const recorder = new CallRecorder(ctx, call, { offsetMs: options.offsetMs ?? 0 });
  recorder.attach(session as CallSession<object>);
  const handle: LiveCallHandle = {
    organizationId: call.organizationId,
    hangup: (reason) => session.control.endCall({ reason, afterPlayback: false }),
  };
  const unregister = ctx.liveCalls.add(call.id, handle);
  // The call leaves the registry only once its record is written (shutdown waits for that).
  void session.finished.then(async () => {
    await recorder.flushed();
    unregister();
  });

  const fail = async (reason: string, message: string) => {
    log.warn({ callId: call.id, reason }, 'call failed');
    await recorder.update({ status: 'failed', endReason: reason, error: message });
    recorder.eventNow('failed', { reason, message });
  };

  const loadSetup: WiredCall['loadSetup'] = async ({ signal, parameters }) => {
    try {
      const say = (instructions: string) => session.say(instructions);
      const { setup, agent } = await buildCallSetup(ctx, call, recorder, { tools, signal, say });
      recorder.setModel(agent.model);
      Object.assign(handle, wireCallFeatures({ ctx, session, call, agent, recorder, setup, parameters }));
      return { ok: true, setup, agent };
    } catch (error) {
      const known = error instanceof CallSetupError;
      if (!known) log.error({ err: error, callId: call.id }, 'call setup failed');
      const reason = known ? error.reason : 'setup_failed';
      const message = known ? error.message : 'could not load the call setup';
      await fail(reason, message);
      return { ok: false, reason, message };
    }
  };

  return { recorder, handle, fail, loadSetup };
}
