import { integrations } from '@switchboard/db';
import {
  INTEGRATION_SCHEMAS,
  type IntegrationProvider,
  type updateIntegrationSchema,
} from '@switchboard/shared';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import { decryptSettings, type IntegrationDeps } from '../integrations/settings.ts';
import type { IntegrationRow } from '../mappers/integrations.ts';
import { parse } from '../validation.ts';

export type UpdateIntegrationInput = {
  organizationId: string;
  provider: IntegrationProvider;
  body: z.output<typeof updateIntegrationSchema>;
};

/** Drops blank strings: an empty form field means "not set" (config) or "keep the saved value" (secrets). */
function withoutBlanks<T>(values: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')),
  );
}

/**
 * Saves an organization's credentials for one provider. `config` replaces the stored settings;
 * `secrets` are merged over the stored ones (omitted ones are kept), validated as a complete
 * set, and stored encrypted. Any change resets the test status. Returns the field names that
 * changed (for the audit log), never values.
 */
export async function updateIntegration(
  deps: ServiceDeps & Omit<IntegrationDeps, 'db' | 'log'>,
  input: UpdateIntegrationInput,
): Promise<{ row: IntegrationRow; secretsChanged: string[] }> {
  const schema = INTEGRATION_SCHEMAS[input.provider];
  const submitted = parse(z.strictObject({ config: schema.config, secrets: schema.secrets.partial() }), {
    config: withoutBlanks(input.body.config),
    secrets: withoutBlanks(input.body.secrets),
  }) as { config: Record<string, unknown>; secrets: Record<string, string> };

  return deps.db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(integrations)
      .where(
        and(eq(integrations.organizationId, input.organizationId), eq(integrations.provider, input.provider)),
      )
      .for('update');
    let stored: Record<string, string> = {};
    if (existing?.secretCiphertext) {
      try {
        stored = decryptSettings(existing, deps.secrets).secrets;
      } catch {
        // Unreadable (APP_SECRET changed): the request must then carry every secret again.
      }
    }
    const secrets = parse(z.strictObject({ secrets: schema.secrets }), {
      secrets: { ...stored, ...submitted.secrets },
    }).secrets as Record<string, string>;

    const values = {
      config: submitted.config,
      secretCiphertext: deps.secrets.encrypt(JSON.stringify(secrets)),
      status: 'untested',
      lastTestedAt: null,
      updatedAt: deps.clock(),
    };
    const [row] = await tx
      .insert(integrations)
      .values({ organizationId: input.organizationId, provider: input.provider, ...values })
      .onConflictDoUpdate({ target: [integrations.organizationId, integrations.provider], set: values })
      .returning();
    return { row: row!, secretsChanged: Object.keys(submitted.secrets) };
  });
}
