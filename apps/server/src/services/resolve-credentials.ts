import type { ServiceAccount } from '../calendar/google.ts';
import {
  type IntegrationDeps,
  type ProviderSettings,
  readIntegrationStates,
} from '../integrations/settings.ts';

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  phoneNumber?: string;
}

export interface ResolvedCredentials {
  twilio?: TwilioCredentials;
  openai?: { apiKey: string };
  gemini?: { apiKey: string };
  googleCalendar?: { calendarId: string; serviceAccount: ServiceAccount };
}

const str = (settings: ProviderSettings, from: 'config' | 'secrets', key: string): string =>
  String(settings[from][key]);

/**
 * The credentials an organization's calls use, per provider: the organization's saved
 * integration first, the environment (TWILIO_*, OPENAI_API_KEY, GEMINI_API_KEY,
 * GOOGLE_APPLICATION_CREDENTIALS) as the fallback. Stored secrets that cannot be decrypted
 * (APP_SECRET changed) are logged (without their value) and count as not configured.
 * `ctx` is the AppContext or any slice of it with db, secrets, config (and log).
 */
export async function resolveCredentials(
  ctx: IntegrationDeps,
  organizationId: string,
): Promise<ResolvedCredentials> {
  const states = await readIntegrationStates(ctx, organizationId);
  const result: ResolvedCredentials = {};
  const twilio = states.twilio.active?.settings;
  if (twilio) {
    const phoneNumber = twilio.config.phoneNumber;
    result.twilio = {
      accountSid: str(twilio, 'config', 'accountSid'),
      authToken: str(twilio, 'secrets', 'authToken'),
      ...(typeof phoneNumber === 'string' ? { phoneNumber } : {}),
    };
  }
  const openai = states.openai.active?.settings;
  if (openai) result.openai = { apiKey: str(openai, 'secrets', 'apiKey') };
  const gemini = states.gemini.active?.settings;
  if (gemini) result.gemini = { apiKey: str(gemini, 'secrets', 'apiKey') };
  const calendar = states.google_calendar.active?.settings;
  if (calendar) {
    result.googleCalendar = {
      calendarId: str(calendar, 'config', 'calendarId'),
      // Validated as a service-account key when saved (or read from the environment).
      serviceAccount: JSON.parse(str(calendar, 'secrets', 'serviceAccountJson')) as ServiceAccount,
    };
  }
  return result;
}
