/**
 * Every environment variable the server reads: its schema and how a valid value is described in
 * the error. Parsed by config.ts; documented in `.env.example` and the README's settings table.
 */
import { PHONE_COUNTRIES, toE164 } from '@switchboard/shared';
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const NODE_ENVS = ['development', 'production', 'test'] as const;

const urlWith = (protocols: string[]) =>
  z
    .string()
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    })
    .transform((value) => value.replace(/\/+$/, ''));

const MODEL_ID = /^[\w./:-]{1,100}$/;

const booleanFlag = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A positive number of seconds (fractions allowed) within [min, max]. */
function seconds(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
}

/** An integer within [min, max]. */
function count(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** A whole number 1…max. */
function positiveInt(max: number) {
  return {
    schema: z
      .string()
      .regex(/^\d{1,6}$/)
      .transform(Number)
      .pipe(z.number().int().min(1).max(max)),
    expects: `an integer 1-${max}`,
  };
}

/** Each variable: its schema and how to describe a valid value in the error message. */
export const VARIABLES = {
  NODE_ENV: { schema: z.enum(NODE_ENVS), expects: `one of ${NODE_ENVS.join(', ')}` },
  LOG_LEVEL: { schema: z.enum(LOG_LEVELS), expects: `one of ${LOG_LEVELS.join(', ')}` },
  PORT: {
    schema: z
      .string()
      .regex(/^\d{1,5}$/)
      .transform(Number)
      .pipe(z.number().int().min(1).max(65_535)),
    expects: 'an integer 1-65535',
  },
  HOST: { schema: z.string().regex(/^[\w.:[\]-]+$/), expects: 'a host name or IP address' },
  PUBLIC_URL: {
    schema: urlWith(['http:', 'https:']),
    expects: 'an http(s) URL, e.g. https://calls.example.com',
  },
  CORS_ORIGINS: {
    schema: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(urlWith(['http:', 'https:']))),
    expects: 'a comma-separated list of http(s) origins',
  },
  DATA_DIR: { schema: z.string(), expects: 'a directory path' },
  /** Where the embedded database runs: its own worker thread (default) or the main thread. */
  PGLITE_THREAD: { schema: z.enum(['worker', 'main']), expects: 'worker or main (default worker)' },
  DATABASE_URL: {
    schema: urlWith(['postgres:', 'postgresql:']),
    expects: 'a postgres:// connection URL',
  },
  REDIS_URL: { schema: urlWith(['redis:', 'rediss:']), expects: 'a redis:// or rediss:// URL' },
  /** Server processes sharing the one port (node:cluster); `auto` = the machine's cores. Needs DATABASE_URL. */
  WORKERS: {
    schema: z.union([
      z
        .string()
        .transform((v) => v.toLowerCase())
        .pipe(z.literal('auto')),
      z
        .string()
        .regex(/^\d{1,3}$/)
        .transform(Number)
        .pipe(z.number().int().min(1).max(256)),
    ]),
    expects: 'auto or an integer 1-256 (default 1)',
  },
  APP_SECRET: { schema: z.string().min(32), expects: 'at least 32 characters (try `openssl rand -hex 32`)' },
  ADMIN_EMAIL: { schema: z.email(), expects: 'an email address' },
  ADMIN_PASSWORD: { schema: z.string().min(10).max(256), expects: '10-256 characters' },
  TWILIO_ACCOUNT_SID: {
    schema: z.string().regex(/^AC[0-9a-fA-F]{32}$/),
    expects: 'a Twilio Account SID (AC followed by 32 hex digits)',
  },
  TWILIO_AUTH_TOKEN: { schema: z.string().min(8).max(128), expects: 'a Twilio auth token' },
  TWILIO_PHONE_NUMBER: {
    schema: z.string().transform((value, ctx) => {
      const e164 = toE164(value);
      if (!e164) ctx.addIssue({ code: 'custom', message: 'not a phone number' });
      return e164 ?? '';
    }),
    expects: 'a phone number in E.164 format, e.g. +14155550100',
  },
  TWILIO_API_BASE_URL: { schema: urlWith(['http:', 'https:']), expects: 'an http(s) URL' },
  OPENAI_API_KEY: { schema: z.string().min(8), expects: 'an OpenAI API key' },
  OPENAI_REALTIME_URL: { schema: urlWith(['ws:', 'wss:']), expects: 'a ws(s):// URL' },
  OPENAI_BASE_URL: { schema: urlWith(['http:', 'https:']), expects: 'an http(s) URL' },
  GEMINI_API_KEY: { schema: z.string().min(8), expects: 'a Gemini API key' },
  GEMINI_BASE_URL: {
    schema: urlWith(['http:', 'https:', 'ws:', 'wss:']),
    expects: 'an http(s) or ws(s) URL',
  },
  OPENAI_TEXT_MODEL: { schema: z.string().regex(MODEL_ID), expects: 'an OpenAI model id, e.g. gpt-4.1-mini' },
  GEMINI_TEXT_MODEL: {
    schema: z.string().regex(MODEL_ID),
    expects: 'a Gemini model id, e.g. gemini-2.5-flash',
  },
  GOOGLE_APPLICATION_CREDENTIALS: { schema: z.string(), expects: 'a path to a service-account JSON file' },
  GOOGLE_CALENDAR_API_URL: { schema: urlWith(['http:', 'https:']), expects: 'an http(s) URL' },
  KNOWLEDGE_EMBEDDINGS_MODEL: {
    schema: z.string().regex(/^[\w.:/-]{1,100}$/),
    expects: 'an embeddings model name, e.g. text-embedding-3-small',
  },
  MCP_ALLOW_STDIO: { schema: booleanFlag, expects: 'true or false' },
  SIP_PORT: {
    schema: z
      .string()
      .regex(/^\d{1,5}$/)
      .transform(Number)
      .pipe(z.number().int().min(1).max(65_535)),
    expects: 'an integer 1-65535 (5060 is the SIP default)',
  },
  RTP_PORTS: {
    schema: z
      .string()
      .regex(/^\d{1,5}-\d{1,5}$/)
      .transform((v) => v.split('-').map(Number) as [number, number])
      .refine(([min, max]) => min >= 1024 && max <= 65_535 && max - min >= 1),
    expects: 'a port range like 10000-10999 (1024-65535, at least two ports)',
  },
  SIP_PUBLIC_ADDRESS: {
    schema: z.ipv4(),
    expects: 'the IPv4 address carriers reach this server at (written into SIP headers and SDP)',
  },
  ALLOW_SIGNUP: { schema: booleanFlag, expects: 'true or false' },
  SHARE_ENV_CREDENTIALS: { schema: booleanFlag, expects: 'true or false' },
  STREAM_START_TIMEOUT_S: { schema: seconds(0.05, 300), expects: 'seconds, 0.05-300 (default 10)' },
  PENDING_SOCKETS_MAX: { schema: count(1, 100_000), expects: 'an integer 1-100000 (default 200)' },
  PENDING_SOCKETS_PER_IP: { schema: count(1, 100_000), expects: 'an integer 1-100000 (default 50)' },
  LOGIN_FAILURES_PER_IP: { schema: count(1, 100_000), expects: 'an integer 1-100000 (default 50)' },
  LOGIN_FAILURES_PER_ACCOUNT: { schema: count(1, 100_000), expects: 'an integer 1-100000 (default 10)' },
  LOGIN_FAILURE_WINDOW_S: { schema: count(1, 86_400), expects: 'seconds, 1-86400 (default 900)' },
  LOGIN_CONCURRENCY: { schema: count(1, 64), expects: 'an integer 1-64 (default 4)' },
  SSE_STREAMS_PER_USER: { schema: count(1, 10_000), expects: 'an integer 1-10000 (default 10)' },
  BROWSER_CALLS_PER_USER: { schema: count(1, 10_000), expects: 'an integer 1-10000 (default 2)' },
  BROWSER_CALLS_PER_ORG: { schema: count(1, 10_000), expects: 'an integer 1-10000 (default 5)' },
  SHUTDOWN_DRAIN_S: { schema: seconds(0, 3600), expects: 'seconds, 0-3600 (default 30)' },
  RECONCILE_GRACE_S: { schema: seconds(0, 3600), expects: 'seconds, 0-3600 (default 120)' },
  SMS_PER_ORG_PER_DAY: { schema: count(0, 1_000_000), expects: 'an integer 0-1000000 (default 200)' },
  SMS_ALLOWED_COUNTRIES: {
    schema: z
      .string()
      .transform((v) => v.trim().toUpperCase())
      .pipe(
        z.union([
          z.literal('*'),
          z
            .string()
            .transform((v) => [...new Set(v.split(',').map((c) => c.trim()))])
            .refine((list) => list.length > 0 && list.every((c) => PHONE_COUNTRIES.includes(c))),
        ]),
      ),
    expects:
      "two-letter country codes separated by commas (e.g. US,CA,GB), or * for any (default: each organization's default country)",
  },
  MODEL_INPUT_CHUNK_MS: { schema: count(0, 200), expects: 'milliseconds, 0-200 (default 0)' },
  SOCKET_PING_INTERVAL_S: { schema: seconds(0.05, 600), expects: 'seconds, 0.05-600 (default 30)' },
  MAX_CONCURRENT_CALLS: { schema: count(1, 100_000), expects: 'an integer 1-100000 (default 100)' },
  MAX_CONCURRENT_CALLS_PER_ORG: { schema: count(1, 100_000), expects: 'an integer 1-100000 (default 20)' },
  WIDGET_MAX_SESSIONS_PER_ORG: positiveInt(10_000),
  WIDGET_MAX_SESSIONS_PER_AGENT: positiveInt(10_000),
  WIDGET_SESSIONS_PER_IP_PER_HOUR: positiveInt(10_000),
  WIDGET_MAX_MESSAGE_CHARS: positiveInt(20_000),
  WIDGET_MESSAGES_PER_MINUTE: positiveInt(600),
  WIDGET_VOICE_MAX_SECONDS: positiveInt(3600),
  WIDGET_CHAT_MAX_SECONDS: positiveInt(86_400),
  TRUST_PROXY: {
    schema: z.string().transform((v, ctx): TrustProxy => {
      const lower = v.toLowerCase();
      if (['true', 'yes', '1'].includes(lower)) return true;
      if (['false', 'no', '0'].includes(lower)) return false;
      if (/^\d{1,2}$/.test(v)) return Number(v);
      const list = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (list.length === 0 || !list.every((s) => /^[\da-fA-F.:]+(\/\d{1,3})?$/.test(s)))
        ctx.addIssue({ code: 'custom', message: 'not a proxy setting' });
      return list;
    }),
    expects: 'true, false, a number of proxy hops, or comma-separated proxy addresses/CIDRs',
  },
  TELEPHONY_INBOUND_USD_PER_MIN: {
    schema: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,6})?$/)
      .transform(Number),
    expects: 'a price in USD per minute, e.g. 0.0085',
  },
  TELEPHONY_OUTBOUND_USD_PER_MIN: {
    schema: z
      .string()
      .regex(/^\d{1,3}(\.\d{1,6})?$/)
      .transform(Number),
    expects: 'a price in USD per minute, e.g. 0.014',
  },
  WEBHOOK_ALLOW_PRIVATE: { schema: booleanFlag, expects: 'true or false' },
} as const;

/**
 * Which reverse proxies' X-Forwarded-For/-Proto/-Host headers to believe (Fastify `trustProxy`):
 * false = none; true = any; a number = that many hops; a list = those addresses or CIDR ranges.
 */
export type TrustProxy = boolean | number | string[];

export type Variables = typeof VARIABLES;
export type VariableName = keyof Variables;
export type Parsed = { [K in VariableName]?: z.output<Variables[K]['schema']> };

export type NodeEnv = (typeof NODE_ENVS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
