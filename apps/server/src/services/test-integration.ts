import { integrations } from '@switchboard/db';
import type { IntegrationProvider, IntegrationTestResult } from '@switchboard/shared';
import { sql } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { PROBE_TIMEOUT_MS, probeIntegration } from '../integrations/probes.ts';
import { type IntegrationDeps, LAST_ERROR_KEY, readIntegrationStates } from '../integrations/settings.ts';

const NAMES: Record<IntegrationProvider, string> = {
  twilio: 'Twilio',
  openai: 'OpenAI',
  gemini: 'Gemini',
  google_calendar: 'Google Calendar',
};

/**
 * Tests the credentials the organization uses for a provider (its own, or the environment's)
 * with a real request, and stores the outcome (status, lastTestedAt, lastError) on the
 * organization's integration row, creating one for environment credentials.
 */
export async function testIntegration(
  deps: ServiceDeps & Omit<IntegrationDeps, 'db' | 'log'> & { timeoutMs?: number },
  input: { organizationId: string; provider: IntegrationProvider },
): Promise<IntegrationTestResult> {
  const state = (await readIntegrationStates(deps, input.organizationId))[input.provider];
  if (!state.active) {
    return { ok: false, message: state.problem ?? `${NAMES[input.provider]} is not configured` };
  }
  const result = await probeIntegration(
    input.provider,
    state.active.settings,
    deps.config,
    deps.timeoutMs ?? PROBE_TIMEOUT_MS,
  );
  const outcome = result.ok ? {} : { [LAST_ERROR_KEY]: result.message };
  const testedCiphertext = state.row?.secretCiphertext ?? null;
  await deps.db
    .insert(integrations)
    .values({
      organizationId: input.organizationId,
      provider: input.provider,
      config: outcome,
      status: result.ok ? 'ok' : 'failed',
      lastTestedAt: deps.clock(),
    })
    .onConflictDoUpdate({
      target: [integrations.organizationId, integrations.provider],
      set: {
        config: sql`(${integrations.config} - ${LAST_ERROR_KEY}::text) || excluded.config`,
        status: sql`excluded.status`,
        lastTestedAt: sql`excluded.last_tested_at`,
      },
      // Credentials saved while the test ran were not the ones tested: keep their `untested`.
      setWhere: sql`${integrations.secretCiphertext} is not distinct from ${testedCiphertext}::text`,
    });
  return result;
}
