/**
 * Which credentials an organization uses for each provider: its own (saved through
 * `PUT /api/integrations/:provider`, secrets encrypted with ctx.secrets) when complete and
 * readable, otherwise the server's environment variables. Stored secrets that no longer decrypt
 * (APP_SECRET changed) count as not configured, with a `problem` the dashboard shows.
 */
import { readFileSync } from 'node:fs';
import { type DbOrTx, integrations, organizations, preparedQuery, ReadCache } from '@switchboard/db';
import {
  INTEGRATION_PROVIDERS,
  INTEGRATION_SCHEMAS,
  type IntegrationProvider,
  type IntegrationSource,
  isServiceAccountJson,
} from '@switchboard/shared';
import { asc, eq, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { Logger } from '../context.ts';
import type { IntegrationRow } from '../mappers/integrations.ts';
import type { Secrets } from '../secrets.ts';

/** Non-secret settings and secrets of one provider, validated by INTEGRATION_SCHEMAS. */
export interface ProviderSettings {
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface IntegrationState {
  provider: IntegrationProvider;
  /** The organization's row (settings, last test), if any. */
  row: IntegrationRow | undefined;
  /** The credentials in use, or null when the provider is not configured. */
  active: { source: IntegrationSource; settings: ProviderSettings } | null;
  /** Why the organization's stored credentials cannot be used; null when fine or absent. */
  problem: string | null;
}

export interface IntegrationDeps {
  db: DbOrTx;
  secrets: Secrets;
  config: Config;
  log?: Logger | undefined;
}

/** Key in `integrations.config` holding the last test's error (the table has no column for it). */
export const LAST_ERROR_KEY = 'lastError';

export const UNREADABLE_SECRETS =
  'The saved credentials cannot be decrypted (APP_SECRET changed?). Enter them again.';

/** The non-secret fields a provider's config may hold, taken from a stored or submitted object. */
export function pickConfig(
  provider: IntegrationProvider,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const known = Object.keys(INTEGRATION_SCHEMAS[provider].config.shape);
  return Object.fromEntries(known.filter((k) => config[k] !== undefined).map((k) => [k, config[k]]));
}

/** Decrypts and validates a row's secrets; throws when they cannot be read. */
export function decryptSettings(row: IntegrationRow, secrets: Secrets): ProviderSettings {
  const schema = INTEGRATION_SCHEMAS[row.provider];
  const plain: unknown = JSON.parse(secrets.decrypt(row.secretCiphertext ?? ''));
  return {
    config: schema.config.parse(pickConfig(row.provider, row.config)) as Record<string, unknown>,
    secrets: schema.secrets.parse(plain) as Record<string, string>,
  };
}

/** The organization's stored settings: usable, unreadable (problem) or absent. */
function storedSettings(
  row: IntegrationRow | undefined,
  deps: IntegrationDeps,
): { settings: ProviderSettings | null; problem: string | null } {
  if (!row?.secretCiphertext) return { settings: null, problem: null };
  try {
    return { settings: decryptSettings(row, deps.secrets), problem: null };
  } catch (error) {
    deps.log?.warn(
      { organizationId: row.organizationId, provider: row.provider, reason: (error as Error).message },
      'stored integration secrets are unreadable; treating the integration as not configured',
    );
    return { settings: null, problem: UNREADABLE_SECRETS };
  }
}

const environmentCache = new WeakMap<Config, Partial<Record<IntegrationProvider, ProviderSettings | null>>>();

function readEnvironment(
  provider: IntegrationProvider,
  config: Config,
  log?: Logger,
): ProviderSettings | null {
  switch (provider) {
    case 'twilio': {
      const { accountSid, authToken, phoneNumber } = config.twilio;
      if (!accountSid || !authToken) return null;
      return { config: { accountSid, ...(phoneNumber ? { phoneNumber } : {}) }, secrets: { authToken } };
    }
    case 'openai':
      return config.openai.apiKey ? { config: {}, secrets: { apiKey: config.openai.apiKey } } : null;
    case 'gemini':
      return config.gemini.apiKey ? { config: {}, secrets: { apiKey: config.gemini.apiKey } } : null;
    case 'google_calendar': {
      const path = config.google.applicationCredentials;
      if (!path) return null;
      try {
        const json = readFileSync(path, 'utf8');
        if (!isServiceAccountJson(json)) throw new Error('client_email/private_key missing');
        return { config: { calendarId: 'primary' }, secrets: { serviceAccountJson: json } };
      } catch (error) {
        log?.warn(
          { path, reason: (error as Error).message },
          'GOOGLE_APPLICATION_CREDENTIALS is not a readable service-account key',
        );
        return null;
      }
    }
  }
}

/** Settings from the environment (read once per Config: the key file is not re-read per call). */
export function environmentSettings(
  provider: IntegrationProvider,
  config: Config,
  log?: Logger,
): ProviderSettings | null {
  let cached = environmentCache.get(config);
  if (!cached) {
    cached = {};
    environmentCache.set(config, cached);
  }
  if (!(provider in cached)) cached[provider] = readEnvironment(provider, config, log);
  return cached[provider] ?? null;
}

const firstOrganizationCache = new WeakMap<Config, string>();

/**
 * Whether the environment's credentials may serve this organization: the first organization
 * (the one the installation was set up with) always, others only with SHARE_ENV_CREDENTIALS=true,
 * so businesses that signed up on a shared installation never spend the operator's accounts.
 */
async function mayUseEnvironment(deps: IntegrationDeps, organizationId: string): Promise<boolean> {
  if (deps.config.shareEnvCredentials) return true;
  let first = firstOrganizationCache.get(deps.config);
  if (!first) {
    const [row] = await deps.db
      .select({ id: organizations.id })
      .from(organizations)
      .orderBy(asc(organizations.createdAt), asc(organizations.id))
      .limit(1);
    if (!row) return false;
    first = row.id;
    firstOrganizationCache.set(deps.config, first);
  }
  return first === organizationId;
}

const integrationsOf = preparedQuery('integrations_of_org', (db, name) =>
  db
    .select()
    .from(integrations)
    .where(eq(integrations.organizationId, sql.placeholder('organizationId')))
    .prepare(name),
);

/**
 * The organization's integration rows, read once per change on the embedded database (a call
 * needs them at its voice webhook, its set-up, its status callbacks and its analysis;
 * @switchboard/db read-cache.ts says why it stays exact). Shared: never changed by a reader.
 */
const integrationRows = new ReadCache<(typeof integrations.$inferSelect)[]>([
  'integrations',
  'organizations',
]);

/** Every provider's state for the organization, in INTEGRATION_PROVIDERS order (one query, or none). */
export async function readIntegrationStates(
  deps: IntegrationDeps,
  organizationId: string,
): Promise<Record<IntegrationProvider, IntegrationState>> {
  const rows = await integrationRows.read(deps.db, organizationId, () =>
    integrationsOf(deps.db).execute({ organizationId }),
  );
  const states = {} as Record<IntegrationProvider, IntegrationState>;
  const envAllowed = await mayUseEnvironment(deps, organizationId);
  for (const provider of INTEGRATION_PROVIDERS) {
    const row = rows.find((r) => r.provider === provider);
    const stored = storedSettings(row, deps);
    const env = stored.settings || !envAllowed ? null : environmentSettings(provider, deps.config, deps.log);
    const active = stored.settings
      ? { source: 'organization' as const, settings: stored.settings }
      : env
        ? { source: 'environment' as const, settings: env }
        : null;
    states[provider] = { provider, row, active, problem: stored.problem };
  }
  return states;
}
