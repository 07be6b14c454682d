/** Rules shared by create-agent and update-agent. */
import { agents, type DbOrTx } from '@switchboard/db';
import { type Provider, type Tuning, VOICES } from '@switchboard/shared';
import { and, eq, ne } from 'drizzle-orm';
import { type ValidationIssue, validationFailed } from '../errors.ts';

/** Checks the combination of provider, voice and tuning that single-field schemas cannot see. */
export function assertAgentCoherent(agent: { provider: Provider; voice: string; tuning: Tuning }): void {
  const issues: ValidationIssue[] = [];
  if (!VOICES[agent.provider].includes(agent.voice)) {
    issues.push({
      path: 'voice',
      message: `must be one of ${VOICES[agent.provider].join(', ')} for provider ${agent.provider}`,
    });
  }
  if (agent.provider === 'gemini' && agent.tuning.vadType === 'semantic_vad') {
    issues.push({ path: 'tuning.vadType', message: 'semantic_vad is only available with provider openai' });
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
