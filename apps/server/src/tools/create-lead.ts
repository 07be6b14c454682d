/**
 * create_lead {name, phone?, email?, company?, notes?}: creates or updates the prospect this
 * call is about and attaches it to the call. The phone defaults to the caller's number.
 */
import { phoneSchema, toE164 } from '@switchboard/shared';
import type { ToolDefinition } from '@switchboard/voice';
import { z } from 'zod';
import { toProspectJson } from '../mappers/prospects.ts';
import { saveLead } from '../services/save-lead.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';
import type { CallToolContext, CallToolRunContext, ToolDeps } from './context.ts';
import { forModel } from './failures.ts';

export const createLeadParameters = z.object({
  name: z.string().trim().min(1).max(200).describe("The person's full name."),
  phone: phoneSchema
    .optional()
    .describe('Their phone number, only if it differs from the number of this call.'),
  email: z.email().max(254).optional().describe('Their email address, if they gave one.'),
  company: z.string().trim().max(200).optional().describe('Their company, if any.'),
  notes: z.string().trim().max(2000).optional().describe('What they need, in a sentence or two.'),
});

/** Saves the lead and makes it the call's prospect. Shared with book_appointment. */
export async function saveCallLead(
  deps: ToolDeps,
  ctx: CallToolRunContext,
  lead: {
    name?: string;
    phone?: string | undefined;
    email?: string | undefined;
    company?: string;
    notes?: string;
  },
) {
  const phone = lead.phone ?? (ctx.callerNumber ? toE164(ctx.callerNumber) : null);
  const result = await forModel(
    saveLead(deps, {
      organizationId: ctx.organizationId,
      prospectId: ctx.prospect.id,
      phone,
      name: lead.name,
      email: lead.email,
      company: lead.company,
      notes: lead.notes,
      source: ctx.direction === 'web' ? 'web_call' : `${ctx.direction}_call`,
    }),
  );
  if (result.created) {
    await emitWebhookEvent(deps, ctx.organizationId, 'lead.created', {
      prospect: toProspectJson(result.prospect),
      callId: ctx.callId,
    });
  }
  if (ctx.prospect.id !== result.prospect.id) {
    ctx.prospect.id = result.prospect.id;
    await ctx.recorder.update({ prospectId: result.prospect.id });
  }
  return result;
}

export function createLeadTool(deps: ToolDeps): ToolDefinition<typeof createLeadParameters, CallToolContext> {
  return {
    name: 'create_lead',
    description:
      "Save the person you are talking to as a lead (or update their details): name, and phone, email, company and notes when known. The phone defaults to this call's number.",
    hint: 'Save the caller as a lead once you know their name and what they need; do not ask twice.',
    parameters: createLeadParameters,
    timeoutMs: 10_000,
    handler: async (args, ctx) => {
      const { prospect, created } = await saveCallLead(deps, ctx, args);
      return { saved: true, created, prospectId: prospect.id, name: prospect.contact };
    },
  };
}
