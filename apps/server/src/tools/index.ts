/**
 * The tool registry of the product: every in-call tool the model can be given (enabled per
 * agent through `agent.tools`). One file per tool in this folder; docs/tools.md describes them.
 */
import { ToolRegistry } from '@switchboard/voice';
import { askSupervisorTool } from './ask-supervisor.ts';
import { bookAppointmentTool } from './book-appointment.ts';
import { checkAvailabilityTool } from './check-availability.ts';
import type { CallToolContext, ToolDeps } from './context.ts';
import { createLeadTool } from './create-lead.ts';
import { endCallTool } from './end-call.ts';
import { leaveVoicemailTool } from './leave-voicemail.ts';
import { optOutTool } from './opt-out.ts';
import { searchKnowledgeTool } from './search-knowledge.ts';
import { sendSmsTool } from './send-sms.ts';
import { transferCallTool } from './transfer-call.ts';

export function buildToolRegistry(deps: ToolDeps): ToolRegistry<CallToolContext> {
  // ask_supervisor runs the other tools of this same registry.
  const registry: ToolRegistry<CallToolContext> = new ToolRegistry<CallToolContext>();
  return registry
    .useCallTools({ toolsFor: (ctx) => ctx.callTools })
    .register(createLeadTool(deps))
    .register(checkAvailabilityTool(deps))
    .register(bookAppointmentTool(deps))
    .register(sendSmsTool(deps))
    .register(transferCallTool(deps))
    .register(endCallTool())
    .register(leaveVoicemailTool(deps))
    .register(searchKnowledgeTool(deps))
    .register(optOutTool(deps))
    .register(askSupervisorTool(deps, () => registry));
}
