/**
 * end_call {reason}: hangs up once the goodbye the agent just said has played (Twilio marks),
 * and asks the model for no further turn.
 */
import type { ToolDefinition } from '@switchboard/voice';
import { z } from 'zod';
import type { CallToolContext } from './context.ts';

export const endCallParameters = z.object({
  reason: z.string().trim().min(1).max(200).describe('Why the call ends, e.g. "caller said goodbye".'),
});

export function endCallTool(): ToolDefinition<typeof endCallParameters, CallToolContext> {
  return {
    name: 'end_call',
    description: 'Hang up. Say a short goodbye first; the call ends when it has played.',
    hint: 'When the conversation is over, say a short goodbye first, then call end_call.',
    parameters: endCallParameters,
    timeoutMs: 5_000,
    handler: (args, ctx) => {
      void ctx.control.endCall({ reason: args.reason, afterPlayback: true });
      return { ending: true };
    },
  };
}
