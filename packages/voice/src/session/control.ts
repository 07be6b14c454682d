/**
 * The `CallControl` a session hands to tools, DTMF actions and the server: `endCall` and
 * `transfer` stop new model turns and (by default) let what the agent is saying finish first.
 */
import type { CallControl } from '../tools/types.ts';

export interface SessionControlOps {
  /** Hangs up now (`agent_hangup`), with a free-form reason. */
  hangUp(reason?: string): Promise<void>;
  /** Replaces the call's TwiML; the session ends as `transferred`. */
  redirect(twiml: string): Promise<void>;
  afterPlayback(): Promise<void>;
  /** No new model turns from now on (false again when a transfer failed). */
  setEnding(ending: boolean): void;
}

export function sessionControl(ops: SessionControlOps): CallControl {
  return {
    hangup: (reason) => ops.hangUp(reason),
    redirect: (twiml) => ops.redirect(twiml),
    afterPlayback: () => ops.afterPlayback(),
    endCall: async (opts = {}) => {
      ops.setEnding(true);
      if (opts.afterPlayback ?? true) await ops.afterPlayback();
      await ops.hangUp(opts.reason);
    },
    transfer: async (twiml, opts = {}) => {
      ops.setEnding(true);
      try {
        if (opts.afterPlayback ?? true) await ops.afterPlayback();
        await ops.redirect(twiml);
      } catch (error) {
        ops.setEnding(false);
        throw error;
      }
    },
  };
}
