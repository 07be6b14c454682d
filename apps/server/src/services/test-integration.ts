import { integrations } from '@switchboard/db';
import {
  INTEGRATION_SCHEMAS,
  type IntegrationProvider,
  type IntegrationTestResult,
} from '@switchboard/shared';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import { explainFailure } from '../integrations/explain.ts';
import { PROBE_TIMEOUT_MS, probeIntegration } from '../integrations/probes.ts';
import {
  type IntegrationDeps,
  LAST_ERROR_KEY,
  type ProviderSettings,
  pickConfig,
  readIntegrationStates,
} from '../integrations/settings.ts';
import { parse } from '../validation.ts';

/** Unsaved form values to test: blank fields fall back to the credentials in use. */
export interface UnsavedValues {
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

const filled = <T>(values: Record<string, T>) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));

/** The settings to test: the unsaved values over the ones in use, validated as a complete set (400). */
function settingsToTest(
  provider: IntegrationProvider,
  inUse: ProviderSettings | undefined,
  values: UnsavedValues,
): ProviderSettings {
  const schema = INTEGRATION_SCHEMAS[provider];
  const config = { ...(inUse?.config ?? {}), ...pickConfig(provider, filled(values.config)) };
  const secrets = { ...(inUse?.secrets ?? {}), ...filled(values.secrets) };
  return parse(z.object({ config: schema.config, secrets: schema.secrets }), {
    config,
    secrets,
  }) as ProviderSettings;
}

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
  input: { organizationId: string; provider: IntegrationProvider; values?: UnsavedValues | undefined },
): Promise<IntegrationTestResult> {
  const state = (await readIntegrationStates(deps, input.organizationId))[input.provider];
  const { values } = input;
  const anyValue = values && Object.keys({ ...filled(values.config), ...filled(values.secrets) }).length > 0;
  if (values && anyValue) {
    // Unsaved values: probe them and say how it went; nothing is stored.
    const settings = settingsToTest(input.provider, state.active?.settings, values);
    const result = await probeIntegration(
      input.provider,
      settings,
      deps.config,
      deps.timeoutMs ?? PROBE_TIMEOUT_MS,
    );
    return result.ok ? result : { ok: false, ...explainFailure(input.provider, result.message) };
  }
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
  return result.ok ? result : { ok: false, ...explainFailure(input.provider, result.message) };
}
