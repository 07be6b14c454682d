import { INTEGRATION_PROVIDERS } from '@switchboard/shared';
import {
  type IntegrationDeps,
  type IntegrationState,
  readIntegrationStates,
} from '../integrations/settings.ts';

/** Every provider (always all four, in INTEGRATION_PROVIDERS order) with the credentials in use. */
export async function listIntegrations(
  deps: IntegrationDeps,
  input: { organizationId: string },
): Promise<IntegrationState[]> {
  const states = await readIntegrationStates(deps, input.organizationId);
  return INTEGRATION_PROVIDERS.map((provider) => states[provider]);
}
