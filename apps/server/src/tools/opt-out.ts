/**
 * opt_out {reason}: the person asked not to be called again. Adds their number to the
 * organization's do-not-call list (source `opt_out`), marks their prospect `do_not_call`, and
 * ends the call once the confirmation the agent just said has played. Always enabled on
 * outbound calls (calls/load-call-setup.ts); docs/campaigns.md.
 */
import { prospects } from '@switchboard/db';
import { toE164 } from '@switchboard/shared';
import { type ToolDefinition, ToolFailure } from '@switchboard/voice';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { addDoNotCall } from '../services/do-not-call.ts';
import type { CallToolContext, ToolDeps } from './context.ts';
import { noPhoneLine } from './failures.ts';

export const optOutParameters = z.object({
  reason: z
    .string()
    .trim()
    .max(300)
    .default('')
    .describe('What the person said, e.g. "asked not to be called again".'),
});

export function optOutTool(deps: ToolDeps): ToolDefinition<typeof optOutParameters, CallToolContext> {
  return {
    name: 'opt_out',
    description:
      'The person asked not to be called again: adds their number to the do-not-call list and ends the call.',
    hint: 'If the person asks not to be called again (or to be removed from the list), say one short confirmation such as "Understood, we will not call you again. Goodbye." and then call opt_out. Never argue.',
    parameters: optOutParameters,
    timeoutMs: 10_000,
    handler: async (args, ctx) => {
      if (ctx.direction === 'web')
        throw noPhoneLine('This is a browser test call; there is no number to list.');
      const phone = ctx.callerNumber ? toE164(ctx.callerNumber) : null;
      if (!phone) throw new ToolFailure('There is no phone number on this call to add to the list.');
      await addDoNotCall(deps.db, {
        organizationId: ctx.organizationId,
        phone,
        reason: args.reason || 'Asked not to be called again (during a call)',
        source: 'opt_out',
      });
      await deps.db
        .update(prospects)
        .set({ status: 'do_not_call', updatedAt: deps.clock() })
        .where(and(eq(prospects.organizationId, ctx.organizationId), eq(prospects.phone, phone)));
      void ctx.control.endCall({ reason: 'opt_out', afterPlayback: true });
      return { optedOut: true, ending: true };
    },
  };
}
