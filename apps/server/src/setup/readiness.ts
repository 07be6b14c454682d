/**
 * What an organization still needs before real calls work, in words a business owner
 * understands: credentials entered and tested, a voice model key, a number bound to an agent,
 * a public https URL (reachable), a calendar (optional) and a first call. Shared by
 * `GET /api/setup`, the dashboard checklist and the readiness list `npm start` prints.
 */
import { calls, phoneNumbers, sipTrunkNumbers } from '@switchboard/db';
import type { SetupItem } from '@switchboard/shared';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { type IntegrationDeps, readIntegrationStates } from '../integrations/settings.ts';
import { MAX_NUMBERS, type WebhookCheck } from './twilio-webhook.ts';
import { twilioWebhookItem } from './twilio-webhook-item.ts';

export interface ReadinessOptions {
  /** Calls `PUBLIC_URL/health` to check it reaches this server (the API does; the banner does not). */
  checkPublicUrl?: (url: string) => Promise<boolean>;
  /**
   * Reads the bound numbers' webhooks from Twilio (the API does; the banner does not, and then
   * the `twilio_webhook` item is left out).
   */
  checkTwilioWebhooks?: (organizationId: string, numbers: string[]) => Promise<WebhookCheck>;
}

/** True when `PUBLIC_URL/health` answers 2xx within `timeoutMs`. */
export async function publicUrlReachable(url: string, timeoutMs = 4000): Promise<boolean> {
  try {
    const res = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

function publicUrlItem(config: Config, reachable: boolean | undefined): SetupItem {
  const base = { id: 'public_url' as const, title: 'Public web address', optional: false };
  const url = config.publicUrl;
  const fix =
    'Set PUBLIC_URL to the https address where Twilio reaches this server (a tunnel such as ngrok or cloudflared works), then restart.';
  if (!url)
    return {
      ...base,
      ok: false,
      message: `Phone calls cannot reach this server yet. ${fix}`,
      action: null,
    };
  if (!url.startsWith('https://'))
    return {
      ...base,
      ok: false,
      message: `PUBLIC_URL (${url}) is not https; Twilio needs https. ${fix}`,
      action: null,
    };
  if (reachable === false)
    return {
      ...base,
      ok: false,
      message: `${url}/health does not answer. Check that the tunnel or proxy is running and points at this server.`,
      action: null,
    };
  return { ...base, ok: true, message: `Calls reach this server at ${url}.`, action: null };
}

/** Numbers bound to an agent (at most MAX_NUMBERS), in a stable order. */
async function boundNumbers(db: IntegrationDeps['db'], organizationId: string): Promise<{ e164: string }[]> {
  return db
    .select({ e164: phoneNumbers.e164 })
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.organizationId, organizationId), isNotNull(phoneNumbers.agentId)))
    .orderBy(phoneNumbers.e164)
    .limit(MAX_NUMBERS);
}

/** The bound numbers that are Twilio's: those a SIP trunk carries are left out. */
async function withoutSipNumbers(
  db: IntegrationDeps['db'],
  organizationId: string,
  rows: { e164: string }[],
): Promise<string[]> {
  const sip = await db
    .select({ e164: sipTrunkNumbers.e164 })
    .from(sipTrunkNumbers)
    .where(eq(sipTrunkNumbers.organizationId, organizationId));
  const carried = new Set(sip.map((r) => r.e164));
  return rows.map((r) => r.e164).filter((e164) => !carried.has(e164));
}

/** The organization's Twilio numbers bound to an agent (what the webhook item checks and sets). */
export async function boundTwilioNumbers(
  db: IntegrationDeps['db'],
  organizationId: string,
): Promise<string[]> {
  return withoutSipNumbers(db, organizationId, await boundNumbers(db, organizationId));
}

export async function readiness(
  deps: IntegrationDeps,
  organizationId: string,
  options: ReadinessOptions = {},
): Promise<SetupItem[]> {
  const { config } = deps;
  const states = await readIntegrationStates(deps, organizationId);
  const items: SetupItem[] = [];

  const twilio = states.twilio;
  const status = twilio.row?.status;
  const twilioOk =
    !!twilio.active && (status === 'ok' || (twilio.active.source === 'environment' && status !== 'failed'));
  items.push({
    id: 'twilio',
    title: 'Twilio account',
    optional: false,
    ok: twilioOk,
    message: !twilio.active
      ? (twilio.problem ??
        'Enter your Twilio Account SID and auth token so the agent can make and take phone calls.')
      : status === 'failed'
        ? 'The last Twilio test failed. Check the Account SID and auth token, then test again.'
        : twilioOk
          ? 'Twilio is connected.'
          : 'Twilio credentials are entered but not tested yet. Press Test.',
    action: '/settings/integrations',
  });

  const model = [states.openai, states.gemini].find((s) => s.active);
  items.push({
    id: 'model',
    title: 'Voice AI key',
    optional: false,
    ok: !!model && model.row?.status !== 'failed',
    message: !model
      ? 'Enter an OpenAI or Google Gemini API key: it is the voice that talks to callers.'
      : model.row?.status === 'failed'
        ? `The last ${model.provider === 'openai' ? 'OpenAI' : 'Gemini'} test failed. Check the key, then test again.`
        : `${model.provider === 'openai' ? 'OpenAI' : 'Gemini'} key is set.`,
    action: '/settings/integrations',
  });

  const boundRows = await boundNumbers(deps.db, organizationId);
  const bound = boundRows[0];
  items.push({
    id: 'phone_number',
    title: 'Phone number',
    optional: false,
    ok: !!bound,
    message: bound
      ? `${bound.e164} is answered by an agent.`
      : 'Add your Twilio phone number and choose the agent that answers it.',
    action: '/settings/numbers',
  });

  const reachable =
    config.publicUrl?.startsWith('https://') && options.checkPublicUrl
      ? await options.checkPublicUrl(config.publicUrl)
      : undefined;
  items.push(publicUrlItem(config, reachable));

  if (options.checkTwilioWebhooks) {
    const numbers = await withoutSipNumbers(deps.db, organizationId, boundRows);
    const ready = !!twilio.active && numbers.length > 0 && !!config.publicUrl?.startsWith('https://');
    const check = ready ? await options.checkTwilioWebhooks(organizationId, numbers) : null;
    items.push(twilioWebhookItem(config.publicUrl, check));
  }

  const calendar = states.google_calendar;
  items.push({
    id: 'calendar',
    title: 'Calendar (optional)',
    optional: true,
    ok: !!calendar.active,
    message: calendar.active
      ? 'Appointments are checked against your Google Calendar.'
      : 'Appointments use the built-in calendar. Connect Google Calendar to avoid double bookings.',
    action: '/settings/integrations',
  });

  const [call] = await deps.db
    .select({ id: calls.id })
    .from(calls)
    .where(and(eq(calls.organizationId, organizationId), isNotNull(calls.answeredAt)))
    .limit(1);
  items.push({
    id: 'first_call',
    title: 'First call',
    optional: false,
    ok: !!call,
    message: call
      ? 'A call has been answered. You are set up.'
      : 'Try your agent: call your number, or use Call now on a prospect.',
    action: '/agents',
  });
  return items;
}

/** The readiness list for a terminal: one line per item, ✓ or ✗, with what to do. */
export function formatReadiness(items: SetupItem[]): string {
  return items
    .map((item) => {
      const mark = item.ok ? '✓' : item.optional ? '-' : '✗';
      return `  ${mark} ${item.title}: ${item.message}`;
    })
    .join('\n');
}
