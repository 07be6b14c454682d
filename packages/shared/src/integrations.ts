import { z } from 'zod';
import { phoneSchema } from './common.ts';
import { INTEGRATION_PROVIDERS, type IntegrationProvider } from './dashboard.ts';

/**
 * What `PUT /api/integrations/:provider` accepts for each provider: non-secret `config` and
 * `secrets` (stored encrypted, never returned). Blank strings count as omitted; omitted secrets
 * keep their stored values, so a complete set is only needed the first time.
 */

export const integrationParamsSchema = z.strictObject({ provider: z.enum(INTEGRATION_PROVIDERS) });

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;

/** True for a Google service-account key: JSON with string `client_email` and `private_key`. */
export function isServiceAccountJson(value: string): boolean {
  try {
    const json = JSON.parse(value) as { client_email?: unknown; private_key?: unknown } | null;
    return typeof json?.client_email === 'string' && typeof json.private_key === 'string';
  } catch {
    return false;
  }
}

const apiKey = z.string().trim().min(8, 'is too short for an API key').max(512);

export const INTEGRATION_SCHEMAS = {
  twilio: {
    config: z.strictObject({
      accountSid: z
        .string()
        .trim()
        .regex(ACCOUNT_SID, 'must be a Twilio Account SID: AC followed by 32 hex digits'),
      phoneNumber: phoneSchema.optional(),
    }),
    secrets: z.strictObject({ authToken: z.string().trim().min(8, 'is too short').max(128) }),
  },
  openai: { config: z.strictObject({}), secrets: z.strictObject({ apiKey }) },
  gemini: { config: z.strictObject({}), secrets: z.strictObject({ apiKey }) },
  google_calendar: {
    config: z.strictObject({
      /** `primary` is the service account's own calendar; share yours with it and use its id. */
      calendarId: z.string().trim().min(1).max(254).default('primary'),
    }),
    secrets: z.strictObject({
      serviceAccountJson: z
        .string()
        .max(20_000)
        .refine(
          isServiceAccountJson,
          'must be a service-account key (JSON with client_email and private_key)',
        ),
    }),
  },
} as const satisfies Record<IntegrationProvider, { config: z.ZodType; secrets: z.ZodObject }>;

export type IntegrationConfig<P extends IntegrationProvider> = z.output<
  (typeof INTEGRATION_SCHEMAS)[P]['config']
>;
export type IntegrationSecrets<P extends IntegrationProvider> = z.output<
  (typeof INTEGRATION_SCHEMAS)[P]['secrets']
>;

/** Secret field names per provider (the keys of `secretsMasked`). */
export const INTEGRATION_SECRET_FIELDS: Record<IntegrationProvider, readonly string[]> = {
  twilio: ['authToken'],
  openai: ['apiKey'],
  gemini: ['apiKey'],
  google_calendar: ['serviceAccountJson'],
};
