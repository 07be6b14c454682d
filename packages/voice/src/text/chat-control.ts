/**
 * Call control for a text conversation: tools written for calls (end_call, transfer_call) run
 * unchanged. Ending ends the conversation; a transfer or a TwiML redirect is refused with a
 * message the model can read; nothing waits for playback.
 */
import { ToolFailure } from '../tools/registry.ts';
import type { CallControl } from '../tools/types.ts';

export interface TextChatControl {
  control: CallControl;
  /** True once a tool ended the conversation. */
  readonly ended: boolean;
  /** The reason given when it ended. */
  readonly endReason: string | undefined;
}

export function textChatControl(): TextChatControl {
  let ended = false;
  let endReason: string | undefined;
  const end = async (reason?: string) => {
    ended = true;
    endReason ??= reason ?? 'ended';
  };
  const noPhone = async () => {
    throw new ToolFailure('This is a text chat: it cannot be transferred or redirected to a phone line.');
  };
  return {
    control: {
      hangup: (reason) => end(reason),
      redirect: noPhone,
      afterPlayback: async () => {},
      endCall: (opts) => end(opts?.reason),
      transfer: noPhone,
    },
    get ended() {
      return ended;
    },
    get endReason() {
      return endReason;
    },
  };
}
