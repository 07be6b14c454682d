/**
 * Connection-test failures in plain words: unreachable host, rejected key, wrong account or
 * missing permission, with the provider's raw message kept as `detail` (the dashboard shows it
 * behind a disclosure). Never contains a secret: the raw message was scrubbed before.
 */
import type { IntegrationProvider } from '@switchboard/shared';

const NAMES: Record<IntegrationProvider, string> = {
  twilio: 'Twilio',
  openai: 'OpenAI',
  gemini: 'Google Gemini',
  google_calendar: 'Google Calendar',
};

const KEY_NAMES: Record<IntegrationProvider, string> = {
  twilio: 'Account SID and auth token',
  openai: 'API key',
  gemini: 'API key',
  google_calendar: 'service-account key',
};

const UNREACHABLE =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up|timed out|did not answer|fetch failed|getaddrinfo/i;
const REJECTED =
  /HTTP 401|\b401\b|rejected|invalid[_ ](api[_ ])?key|incorrect api key|api key not valid|unauthori[sz]ed|authenticat|invalid_grant|20003/i;
const FORBIDDEN = /HTTP 403|\b403\b|permission|forbidden|not allowed|insufficient/i;
const NOT_FOUND = /HTTP 404|\b404\b|not found|20404|notFound/i;

export interface ExplainedFailure {
  message: string;
  detail: string;
}

export function explainFailure(provider: IntegrationProvider, raw: string): ExplainedFailure {
  const name = NAMES[provider];
  const key = KEY_NAMES[provider];
  let message: string;
  if (UNREACHABLE.test(raw)) {
    message = `This server could not reach ${name}. Check its internet connection, DNS, firewall or proxy, then test again.`;
  } else if (REJECTED.test(raw)) {
    message = `${name} did not accept the ${key}. Copy it again from where it is shown (see the link above) and test again.`;
  } else if (FORBIDDEN.test(raw)) {
    message = `${name} accepted the ${key} but it lacks a permission this needs.${provider === 'google_calendar' ? ' Share the calendar with the service account’s email address.' : ''}`;
  } else if (NOT_FOUND.test(raw)) {
    message =
      provider === 'twilio'
        ? 'Twilio has no account with this Account SID for this auth token: check that both come from the same account.'
        : provider === 'google_calendar'
          ? 'The calendar was not found: check the calendar ID and that it is shared with the service account.'
          : `${name} does not know this account or model: check the key belongs to the right project.`;
  } else {
    message = `${name} could not be used with these credentials.`;
  }
  return { message, detail: raw };
}
