/**
 * "Test connection" for each provider: a real, harmless request with the credentials in use,
 * against the same URLs the product uses (so the test kit's fakes answer in tests). A probe
 * never throws; its message is shown to people and never contains a secret.
 */
import { DEFAULT_MODELS, type IntegrationProvider } from '@switchboard/shared';
import { buildGeminiUrl, buildRealtimeUrl } from '@switchboard/voice';
import { GoogleCalendar, type ServiceAccount } from '../calendar/google.ts';
import type { Config } from '../config.ts';
import { describeTwilioError, twilioRestClient } from '../telephony/rest-client.ts';
import type { ProviderSettings } from './settings.ts';
import { type ProbeResult, probeWebSocket } from './ws-probe.ts';

export type { ProbeResult };

/** How long a connection test may take (ms). */
export const PROBE_TIMEOUT_MS = 5000;

type Probe = (settings: ProviderSettings, config: Config, timeoutMs: number) => Promise<ProbeResult>;

const text = (settings: ProviderSettings, from: 'config' | 'secrets', key: string) =>
  String(settings[from][key]);

async function probeTwilio(
  settings: ProviderSettings,
  config: Config,
  timeoutMs: number,
): Promise<ProbeResult> {
  const accountSid = text(settings, 'config', 'accountSid');
  const client = twilioRestClient(
    { accountSid, authToken: text(settings, 'secrets', 'authToken') },
    config.twilio.apiBaseUrl,
    timeoutMs,
  );
  try {
    const account = await client.api.v2010.accounts(accountSid).fetch();
    if (account.status !== 'active') {
      return { ok: false, message: `Twilio account “${account.friendlyName}” is ${account.status}` };
    }
    return { ok: true, message: `Connected to Twilio account “${account.friendlyName}”` };
  } catch (error) {
    const failure = describeTwilioError(error);
    if (failure.status === 401)
      return { ok: false, message: 'Twilio rejected the Account SID or auth token' };
    const code = failure.code ? ` (error ${failure.code})` : '';
    return { ok: false, message: `Twilio: ${failure.message}${code}` };
  }
}

async function probeOpenAI(
  settings: ProviderSettings,
  config: Config,
  timeoutMs: number,
): Promise<ProbeResult> {
  const model = DEFAULT_MODELS.openai;
  return probeWebSocket({
    name: 'OpenAI Realtime',
    url: buildRealtimeUrl(config.openai.realtimeUrl, model),
    headers: { Authorization: `Bearer ${text(settings, 'secrets', 'apiKey')}` },
    timeoutMs,
    onMessage: (message) => {
      if (message.type === 'session.created')
        return { ok: true, message: `Connected to OpenAI Realtime (${model})` };
      if (message.type === 'error') {
        const error = message.error as { message?: unknown } | undefined;
        return { ok: false, message: `OpenAI Realtime: ${String(error?.message ?? 'error')}` };
      }
      return undefined;
    },
  });
}

async function probeGemini(
  settings: ProviderSettings,
  config: Config,
  timeoutMs: number,
): Promise<ProbeResult> {
  const model = DEFAULT_MODELS.gemini;
  return probeWebSocket({
    name: 'Gemini Live',
    // The same endpoint the Gemini adapter connects to (http(s) bases become ws(s)).
    url: buildGeminiUrl(config.gemini.baseUrl, text(settings, 'secrets', 'apiKey')),
    timeoutMs,
    first: { setup: { model: `models/${model}`, generationConfig: { responseModalities: ['AUDIO'] } } },
    onMessage: (message) =>
      'setupComplete' in message ? { ok: true, message: `Connected to Gemini Live (${model})` } : undefined,
  });
}

async function probeGoogleCalendar(
  settings: ProviderSettings,
  config: Config,
  timeoutMs: number,
): Promise<ProbeResult> {
  const calendarId = text(settings, 'config', 'calendarId');
  try {
    const calendar = new GoogleCalendar({
      account: JSON.parse(text(settings, 'secrets', 'serviceAccountJson')) as ServiceAccount,
      calendarId,
      rootUrl: config.google.calendarApiUrl,
      timeoutMs,
    });
    const now = new Date();
    await calendar.busy(now, new Date(now.getTime() + 3_600_000));
    return { ok: true, message: `Read the free/busy times of calendar “${calendarId}”` };
  } catch (error) {
    return { ok: false, message: `Google Calendar: ${(error as Error).message}` };
  }
}

const PROBES: Record<IntegrationProvider, Probe> = {
  twilio: probeTwilio,
  openai: probeOpenAI,
  gemini: probeGemini,
  google_calendar: probeGoogleCalendar,
};

/** Replaces any secret value a provider's message might echo. */
function scrub(message: string, secrets: Record<string, string>): string {
  let out = message;
  for (const value of Object.values(secrets)) {
    if (value.length >= 8) out = out.split(value).join('••••');
  }
  return out.slice(0, 500);
}

export async function probeIntegration(
  provider: IntegrationProvider,
  settings: ProviderSettings,
  config: Config,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  // Each probe has its own timeout; this guard only catches one that forgot to honour it.
  const guard = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, message: 'The connection test timed out' }),
      timeoutMs + 2000,
    );
  });
  try {
    const result = await Promise.race([
      PROBES[provider](settings, config, timeoutMs).catch(
        (error: unknown): ProbeResult => ({ ok: false, message: (error as Error).message ?? String(error) }),
      ),
      guard,
    ]);
    return { ok: result.ok, message: scrub(result.message, settings.secrets) };
  } finally {
    clearTimeout(timer);
  }
}
