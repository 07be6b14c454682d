/**
 * The official `twilio` SDK, pointed at TWILIO_API_BASE_URL. twilio-node has no base-URL
 * option, so its HTTP client is wrapped to rewrite `https://api.twilio.com` (any edge or region)
 * to the configured base; with the default base nothing is rewritten.
 *
 * The SDK is loaded on the first client (`require`, so this stays synchronous): its entry point
 * brings the REST client's whole module graph (axios, a proxy agent, the JWT helpers; ≈ 7 MiB of
 * heap) that a server which never calls Twilio's REST API does not need. TwiML and signature
 * checks use the SDK's own modules for them (twiml.ts, signature.ts).
 */
import { createRequire } from 'node:module';
import type twilio from 'twilio';

export const TWILIO_DEFAULT_API_BASE_URL = 'https://api.twilio.com';
const TWILIO_API_HOST = /^https:\/\/api(?:\.[a-z0-9-]+)*\.twilio\.com(?=\/|$)/i;

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}

export type TwilioClient = ReturnType<typeof twilio>;

let sdk: typeof twilio | undefined;

/** The `twilio` package, loaded on first use (the same module `import twilio from 'twilio'` gives). */
function twilioSdk(): typeof twilio {
  sdk ??= createRequire(import.meta.url)('twilio') as typeof twilio;
  return sdk;
}

/** Clients kept (one per account, API base and timeout); the oldest unused one goes first. */
const MAX_CLIENTS = 32;
const clients = new Map<string, { authToken: string; client: TwilioClient }>();

/**
 * The REST client for these credentials. One client is kept per account, API base and timeout
 * and reused by every call of that account: building one costs an HTTP client and a connection
 * pool each time, and a reused pool keeps its TLS connections to Twilio open between requests
 * (idle ones close after `timeoutMs`). A new auth token for the same account replaces the client.
 */
export function twilioRestClient(
  credentials: TwilioCredentials,
  apiBaseUrl: string,
  timeoutMs = 10_000,
): TwilioClient {
  const key = `${apiBaseUrl}\n${timeoutMs}\n${credentials.accountSid}`;
  const kept = clients.get(key);
  clients.delete(key);
  const entry =
    kept && kept.authToken === credentials.authToken
      ? kept
      : { authToken: credentials.authToken, client: buildClient(credentials, apiBaseUrl, timeoutMs) };
  clients.set(key, entry);
  if (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  return entry.client;
}

function buildClient(credentials: TwilioCredentials, apiBaseUrl: string, timeoutMs: number): TwilioClient {
  const twilio = twilioSdk();
  const inner = new twilio.RequestClient({ timeout: timeoutMs });
  const base = apiBaseUrl.replace(/\/+$/, '');
  const httpClient =
    base === TWILIO_DEFAULT_API_BASE_URL
      ? inner
      : new Proxy(inner, {
          get(target, prop, receiver) {
            if (prop === 'request') {
              return (opts: Parameters<typeof target.request>[0]) =>
                target.request({ ...opts, uri: opts.uri.replace(TWILIO_API_HOST, base) });
            }
            const value: unknown = Reflect.get(target, prop, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
  return twilio(credentials.accountSid, credentials.authToken, { httpClient, autoRetry: false });
}

/** A Twilio REST failure in the shape the product reports (code from Twilio's error table). */
export interface TwilioFailure {
  status: number | undefined;
  code: number | undefined;
  message: string;
}

export function describeTwilioError(error: unknown): TwilioFailure {
  const e = error as { status?: unknown; code?: unknown; message?: unknown };
  return {
    status: typeof e.status === 'number' ? e.status : undefined,
    code: typeof e.code === 'number' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : String(error),
  };
}
