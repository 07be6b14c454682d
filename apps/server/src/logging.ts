/**
 * Structured logging (pino). Secrets are always redacted; personal data (phone numbers,
 * emails, transcripts, DTMF digits and anything under a `pii` field) is redacted in
 * production, so code logs personal data only under these field names.
 */
import { type Logger, type LoggerOptions, pino } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** Field names holding credentials: never written to logs in any environment. */
export const SECRET_FIELDS = [
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'authToken',
  'key',
  'secret',
  'appSecret',
  'authorization',
  'cookie',
];
/** Field names holding personal data: redacted in production. */
export const PII_FIELDS = [
  'from',
  'to',
  'phone',
  'From',
  'To',
  'Caller',
  'Called',
  'email',
  'transcript',
  'text',
  'digits',
  'pii',
];

export const REDACTED = '[redacted]';

/** `field`, `*.field`, `*.*.field` and `*.*.*.field`: the field at the top level and up to three levels deep. */
function atAnyDepth(fields: string[]): string[] {
  return fields.flatMap((field) => [0, 1, 2, 3].map((depth) => `${'*.'.repeat(depth)}${field}`));
}

export function redactPaths(env: Config['env']): string[] {
  const paths = [
    'req.headers["x-twilio-signature"]',
    'res.headers["set-cookie"]',
    ...atAnyDepth(SECRET_FIELDS),
  ];
  return env === 'production' ? [...paths, ...atAnyDepth(PII_FIELDS)] : paths;
}

interface RequestLike {
  method: string;
  url: string;
  id: string;
  headers: Record<string, unknown>;
  ip?: string;
}

export function loggerOptions(
  config: Pick<Config, 'env' | 'logLevel'> & Partial<Pick<Config, 'prettyLogsOnTty'>>,
  isTty: boolean,
): LoggerOptions {
  const production = config.env === 'production';
  const pretty = isTty && (config.prettyLogsOnTty ?? !production);
  return {
    level: config.logLevel,
    redact: { paths: redactPaths(config.env), censor: REDACTED },
    serializers: {
      err: safeError,
      // Query strings can carry search terms (names, phone numbers): production logs the path only.
      req: (req: RequestLike) =>
        typeof req?.url === 'string'
          ? {
              id: req.id,
              method: req.method,
              url: production ? req.url.split('?')[0] : redactQueryTokens(req.url),
              ip: req.ip,
            }
          : req,
    },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            // One short line per entry: time, level, message; request fields stay in JSON logs only.
            options: {
              colorize: true,
              translateTime: 'SYS:HH:MM:ss',
              ignore: 'pid,hostname,reqId,method,url,statusCode,ms',
              singleLine: true,
            },
          },
        }
      : {}),
  };
}

export function createLogger(config: Pick<Config, 'env' | 'logLevel' | 'prettyLogsOnTty'>): Logger {
  return pino(loggerOptions(config, Boolean(process.stdout.isTTY)));
}

/** Query-string credentials (`?token=` on SSE and browser-call sockets) never reach the log. */
export function redactQueryTokens(url: string): string {
  return url.replace(/([?&](?:token|key|api_key|apiKey)=)[^&#]*/g, '$1[redacted]');
}

/** Paths polled by load balancers and uptime checks: logged at debug only. */
const QUIET_PATHS = new Set(['/health', '/ready', '/healthz']);

/**
 * The one log entry per request: `GET /api/calls 200 12ms` with the same fields for JSON logs.
 * Server errors log at error; health checks at debug. Production logs the path without query.
 */
export function requestLogLine(
  request: RequestLike,
  statusCode: number,
  elapsedMs: number,
  env: Config['env'],
): { level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields: Record<string, unknown> } {
  const path = request.url.split('?')[0] ?? request.url;
  const url = env === 'production' ? path : redactQueryTokens(request.url);
  const ms = Math.round(elapsedMs);
  const level = statusCode >= 500 ? 'error' : QUIET_PATHS.has(path) ? 'debug' : 'info';
  return {
    level,
    message: `${request.method} ${url} ${statusCode} ${ms}ms`,
    fields: { method: request.method, url, statusCode, ms },
  };
}

/**
 * Errors as logged: pino's standard form without the values a failed database query carries
 * (Drizzle's `params` and the `params:` line of its message, Postgres' `detail` such as
 * "Key (email)=(…) already exists", `parameters`), at any depth of `cause`.
 */
export function safeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  return scrub(serialized, 0);
}

function scrub(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  for (const key of ['params', 'parameters', 'detail', 'where']) if (key in out) out[key] = REDACTED;
  for (const key of ['message', 'stack']) {
    if (typeof out[key] === 'string')
      out[key] = (out[key] as string).replace(/\nparams: [^\n]*/g, `\nparams: ${REDACTED}`);
  }
  if (out.cause && typeof out.cause === 'object' && depth < 5) {
    out.cause = scrub(out.cause as Record<string, unknown>, depth + 1);
  }
  return out;
}
