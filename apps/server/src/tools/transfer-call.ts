/**
 * transfer_call {reason, summary?}: hands the caller to the agent's transfer number once what
 * the agent is saying has played. Cold: `<Dial>`. Warm (agent `transferMode: 'warm'`): the human
 * hears the summary first (whisper URL). The `<Dial action>` callback records whether the human
 * answered and, if not, brings the caller back to the AI (routes/twiml-transfer.ts). A refusal
 * by Twilio is recorded and explained to the caller.
 */
import { agents } from '@switchboard/db';
import { type ToolDefinition, ToolFailure } from '@switchboard/voice';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { resolveCredentials } from '../services/resolve-credentials.ts';
import { transferTwiml } from '../telephony/twiml.ts';
import type { CallToolContext, CallToolRunContext, ToolDeps } from './context.ts';
import { noPhoneLine } from './failures.ts';

export const transferCallParameters = z.object({
  reason: z.string().trim().min(1).max(500).describe('Why the caller needs a person.'),
  summary: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .describe('For the person taking the call: who is calling and what they need, in two sentences.'),
});

export function transferCallTool(
  deps: ToolDeps,
): ToolDefinition<typeof transferCallParameters, CallToolContext> {
  return {
    name: 'transfer_call',
    description:
      'Transfer the call to a human colleague. Tell the caller you are transferring them before calling this.',
    hint: 'Transfer when the caller asks for a person or you cannot help; tell them you are transferring first.',
    parameters: transferCallParameters,
    timeoutMs: 10_000,
    handler: async (args, ctx) => {
      if (ctx.direction === 'web') {
        throw noPhoneLine(
          'This is a browser test call: calls can only be transferred on a phone line. Tell the caller that on a phone call you would transfer them now.',
        );
      }
      const [agent] = ctx.agentId
        ? await deps.db
            .select({ number: agents.transferNumber, mode: agents.transferMode })
            .from(agents)
            .where(and(eq(agents.organizationId, ctx.organizationId), eq(agents.id, ctx.agentId)))
            .limit(1)
        : [];
      if (!agent?.number) {
        throw new ToolFailure(
          'No transfer number is set up, so nobody can take the call. Offer to take a message.',
        );
      }
      if (!ctx.providerCallSid) throw new ToolFailure('Transfers are only possible on phone calls.');
      // A SIP call transfers by REFER through its trunk (sip/sip-control.ts); Twilio is not involved.
      if (ctx.transport !== 'sip' && !(await resolveCredentials(deps, ctx.organizationId)).twilio) {
        throw new ToolFailure(
          'Telephony is not configured, so the call cannot be transferred. Offer to take a message.',
        );
      }
      const base = deps.config.publicUrl;
      const q = `callId=${ctx.callId}`;
      const mode = agent.mode === 'warm' && base && ctx.transport !== 'sip' ? 'warm' : 'cold';
      const twiml = transferTwiml({
        number: agent.number,
        actionUrl: base ? `${base}/api/twiml/transfer-done?${q}` : undefined,
        whisperUrl: mode === 'warm' ? `${base}/api/twiml/transfer-whisper?${q}` : undefined,
      });
      ctx.recorder.event('transfer', {
        mode,
        reason: args.reason,
        ...(mode === 'warm' ? { summary: args.summary ?? args.reason } : {}),
        to: agent.number,
      });
      // Not awaited: the redirect ends this stream (and this tool run with it).
      void ctx.control
        .transfer(twiml, { afterPlayback: true })
        .catch((error: unknown) => failed(deps, ctx, error));
      return { transferring: true, mode };
    },
  };
}

async function failed(deps: ToolDeps, ctx: CallToolRunContext, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  deps.log.warn({ callId: ctx.callId, pii: { reason: message } }, 'transfer failed');
  ctx.recorder.event('transfer_result', { status: 'failed', error: message });
  await deps.liveCalls
    .get(ctx.organizationId, ctx.callId)
    ?.say?.(
      'The transfer did not go through. Apologise briefly, and offer to take a message or help another way.',
      { interrupt: false },
    );
}
