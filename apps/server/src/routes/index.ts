/**
 * Every route plugin, in one list. Routes use full paths (`/api/prospects/:id`) so a URL can be
 * found with grep; each file declares its routes with defineRoute (http/route.ts).
 */
import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './account.ts';
import { agentOptionRoutes } from './agent-options.ts';
import { agentRoutes } from './agents.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { appointmentRoutes } from './appointments.ts';
import { audioStreamRoutes } from './audiostream.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { authSessionRoutes } from './auth-session.ts';
import { browserCallRoutes } from './browser-call.ts';
import { callControlRoutes } from './call-control.ts';
import { callRoutes } from './calls.ts';
import { campaignRoutes } from './campaigns.ts';
import { doNotCallRoutes } from './do-not-call.ts';
import { eventRoutes } from './events.ts';
import { healthRoutes } from './health.ts';
import { integrationRoutes } from './integrations.ts';
import { knowledgeRoutes } from './knowledge.ts';
import { mcpServerRoutes } from './mcp-servers.ts';
import { messageRoutes } from './messages.ts';
import { organizationRoutes } from './organization.ts';
import { outboundRoutes } from './outbound.ts';
import { phoneNumberRoutes } from './phone-numbers.ts';
import { privacyRoutes } from './privacy.ts';
import { prospectRoutes } from './prospects.ts';
import { recordingRoutes } from './recordings.ts';
import { setupRoutes } from './setup.ts';
import { sipTrunkRoutes } from './sip-trunks.ts';
import { statsRoutes } from './stats.ts';
import { testChatRoutes } from './test-chat.ts';
import { twimlRoutes } from './twiml.ts';
import { twimlAmdRoutes } from './twiml-amd.ts';
import { twimlSmsRoutes } from './twiml-sms.ts';
import { twimlTransferRoutes } from './twiml-transfer.ts';
import { userRoutes } from './users.ts';
import { webhookRoutes } from './webhooks.ts';
import { widgetRoutes } from './widget.ts';
import { widgetScriptRoutes } from './widget-script.ts';

export const ROUTE_PLUGINS = [
  healthRoutes,
  authRoutes,
  authSessionRoutes,
  accountRoutes,
  userRoutes,
  apiKeyRoutes,
  agentRoutes,
  agentOptionRoutes,
  prospectRoutes,
  outboundRoutes,
  callRoutes,
  appointmentRoutes,
  phoneNumberRoutes,
  messageRoutes,
  statsRoutes,
  eventRoutes,
  callControlRoutes,
  integrationRoutes,
  twimlRoutes,
  twimlAmdRoutes,
  twimlTransferRoutes,
  audioStreamRoutes,
  browserCallRoutes,
  testChatRoutes,
  knowledgeRoutes,
  mcpServerRoutes,
  sipTrunkRoutes,
  organizationRoutes,
  twimlSmsRoutes,
  auditRoutes,
  campaignRoutes,
  doNotCallRoutes,
  privacyRoutes,
  setupRoutes,
  widgetRoutes,
  widgetScriptRoutes,
  webhookRoutes,
  recordingRoutes,
];

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  for (const plugin of ROUTE_PLUGINS) await app.register(plugin);
}
