/**
 * leave_voicemail {}: on an answering machine, speaks the agent's voicemail message (its own,
 * or a default) and hangs up after it has played. Outbound calls also do this by themselves when
 * Twilio's answering-machine detection reports the beep.
 */
import { type ToolDefinition, ToolFailure } from '@switchboard/voice';
import { z } from 'zod';
import type { CallToolContext, ToolDeps } from './context.ts';

export const leaveVoicemailParameters = z.object({});

/** Long enough to speak a message of a minute. */
const VOICEMAIL_TIMEOUT_MS = 90_000;

export function leaveVoicemailTool(
  deps: ToolDeps,
): ToolDefinition<typeof leaveVoicemailParameters, CallToolContext> {
  return {
    name: 'leave_voicemail',
    description:
      'You reached an answering machine or voicemail: leave the voicemail message and hang up. Do not speak to the machine yourself.',
    hint: 'If you reach voicemail, call leave_voicemail instead of talking to the machine.',
    parameters: leaveVoicemailParameters,
    timeoutMs: VOICEMAIL_TIMEOUT_MS,
    handler: async (_args, ctx) => {
      const call = deps.liveCalls.get(ctx.organizationId, ctx.callId);
      if (!call?.leaveVoicemail) throw new ToolFailure('Voicemail is not available on this call.');
      await call.leaveVoicemail({ interrupt: false });
      return { left: true };
    },
  };
}
