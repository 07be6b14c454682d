/** Rules shared by create-agent and update-agent. */
import { agents, type DbOrTx } from '@switchboard/db';
import { PROVIDER_FACTS, type Provider, providersWithVad, type Tuning } from '@switchboard/shared';
import { and, eq, ne } from 'drizzle-orm';
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

/** Clears `isDefault` on every other agent of the organization (one default per organization). */
export async function clearOtherDefaults(tx: DbOrTx, organizationId: string, keepId?: string): Promise<void> {
  const others = keepId
    ? and(eq(agents.organizationId, organizationId), ne(agents.id, keepId))
    : eq(agents.organizationId, organizationId);
  await tx
    .update(agents)
    .set({ isDefault: false })
    .where(and(others, eq(agents.isDefault, true)));
}
