import type { integrations } from '@switchboard/db';
import { INTEGRATION_STATUSES, type Integration, type IntegrationStatus } from '@switchboard/shared';
import { type IntegrationState, LAST_ERROR_KEY, pickConfig } from '../integrations/settings.ts';
import { isoOrNull } from './iso.ts';

export type IntegrationRow = typeof integrations.$inferSelect;

const MASK = '••••';

/** `••••` and the last four characters (none for short values, so nothing guessable is shown). */
export function maskSecret(field: string, value: string): string {
  if (field === 'serviceAccountJson') {
    // The tail of a JSON document says nothing; the key id tells keys apart.
    try {
      const keyId = (JSON.parse(value) as { private_key_id?: unknown }).private_key_id;
      return typeof keyId === 'string' && keyId.length >= 12 ? `${MASK}${keyId.slice(-4)}` : MASK;
    } catch {
      return MASK;
    }
  }
  return value.length >= 12 ? `${MASK}${value.slice(-4)}` : MASK;
}

function statusOf(row: IntegrationRow | undefined): IntegrationStatus {
  const status = row?.status as IntegrationStatus | undefined;
  return status && INTEGRATION_STATUSES.includes(status) ? status : 'untested';
}

/** One provider as `GET /api/integrations` lists it; secrets only masked. */
export function toIntegrationJson(state: IntegrationState): Integration {
  const { provider, row, active, problem } = state;
  const lastError = row?.config[LAST_ERROR_KEY];
  const tested = active !== null && problem === null;
  return {
    provider,
    configured: active !== null,
    source: active?.source ?? null,
    // Not configured: still show what was saved (e.g. the account SID next to unreadable secrets).
    config: pickConfig(provider, active?.settings.config ?? row?.config ?? {}),
    secretsMasked: Object.fromEntries(
      Object.entries(active?.settings.secrets ?? {}).map(([field, value]) => [
        field,
        maskSecret(field, value),
      ]),
    ),
    status: problem ? 'failed' : tested ? statusOf(row) : 'untested',
    lastTestedAt: tested ? isoOrNull(row?.lastTestedAt ?? null) : null,
    lastError: problem ?? (tested && typeof lastError === 'string' ? lastError : null),
  };
}
