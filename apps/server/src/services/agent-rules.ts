/** Rules shared by create-agent and update-agent. */
import { agents, type DbOrTx, mcpServers } from '@switchboard/db';
import {
  keypadShortcutProblems,
  PROVIDER_FACTS,
  type Provider,
  parseMcpToolRef,
  providersWithVad,
  type Tuning,
} from '@switchboard/shared';
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { type ValidationIssue, validationFailed } from '../errors.ts';

/** Checks the combination of provider, voice and tuning that single-field schemas cannot see. */
export function assertAgentCoherent(agent: { provider: Provider; voice: string; tuning: Tuning }): void {
  const issues: ValidationIssue[] = [];
  const facts = PROVIDER_FACTS[agent.provider];
  if (!facts.voices.includes(agent.voice)) {
    issues.push({
      path: 'voice',
      message: `must be one of ${facts.voices.join(', ')} for provider ${agent.provider}`,
    });
  }
  const { vadType } = agent.tuning;
  if (!facts.vadTypes.includes(vadType)) {
    const message = `${vadType} is only available with provider ${providersWithVad(vadType).join(' or ')}`;
    issues.push({ path: 'tuning.vadType', message });
  }
  if (issues.length) throw validationFailed(issues);
}

/** Every keypad shortcut has its target: "0 → transfer" needs a transfer number (400 otherwise). */
export function assertKeypadTargets(agent: {
  dtmfActions: Readonly<Record<string, string>>;
  transferNumber: string | null;
}): void {
  const problems = Object.entries(keypadShortcutProblems(agent));
  if (problems.length) {
    throw validationFailed(
      problems.map(([digit, message]) => ({
        path: `dtmfActions.${digit}`,
        message: `Key ${digit} → ${message}`,
      })),
    );
  }
}

/**
 * Clears `isDefault` (or `isDefaultOutbound`) on every other agent of the organization: one
 * default of each kind per organization. Callers hold the organization lock (`lockOrganization`).
 */
export async function clearOtherDefaults(
  tx: DbOrTx,
  organizationId: string,
  keepId?: string,
  flag: 'isDefault' | 'isDefaultOutbound' = 'isDefault',
): Promise<void> {
  const others = keepId
    ? and(eq(agents.organizationId, organizationId), ne(agents.id, keepId))
    : eq(agents.organizationId, organizationId);
  await tx
    .update(agents)
    .set({ [flag]: false })
    .where(and(others, eq(agents[flag], true)));
}

/**
 * The agent that places an outbound call or campaign naming none: the default outbound agent,
 * else the default (inbound) agent, else the oldest. Ordering for `orderBy`.
 */
export const OUTBOUND_AGENT_ORDER = [
  desc(agents.isDefaultOutbound),
  desc(agents.isDefault),
  asc(agents.createdAt),
  asc(agents.id),
] as const;

/**
 * Every `mcp:<server>:<tool>` an agent enables names a server of its organization and, once the
 * server's tools were discovered, one of those tools.
 */
export async function assertMcpToolsKnown(
  tx: DbOrTx,
  organizationId: string,
  tools: readonly string[],
): Promise<void> {
  const refs = tools.map((ref, index) => ({ ref, index, parsed: parseMcpToolRef(ref) }));
  const wanted = refs.filter((r) => r.parsed);
  if (wanted.length === 0) return;
  const servers = await tx
    .select({ name: mcpServers.name, tools: mcpServers.tools, fetchedAt: mcpServers.toolsFetchedAt })
    .from(mcpServers)
    .where(
      and(
        eq(mcpServers.organizationId, organizationId),
        inArray(mcpServers.name, [...new Set(wanted.map((r) => r.parsed!.server))]),
      ),
    );
  const byName = new Map(servers.map((s) => [s.name, s]));
  const issues: ValidationIssue[] = [];
  for (const { ref, index, parsed } of wanted) {
    const server = byName.get(parsed!.server);
    if (!server)
      issues.push({ path: `tools.${index}`, message: `no MCP server named "${parsed!.server}" (${ref})` });
    else if (server.fetchedAt && !server.tools.some((t) => t.name === parsed!.tool)) {
      issues.push({
        path: `tools.${index}`,
        message: `MCP server "${parsed!.server}" has no tool "${parsed!.tool}"`,
      });
    }
  }
  if (issues.length) throw validationFailed(issues);
}
