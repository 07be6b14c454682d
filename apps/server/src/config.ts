/**
 * Configuration: the only place that reads the environment. Parsed and validated once at
 * boot; a malformed value throws a ConfigError naming the variable. An empty string counts as
 * unset. Every variable is documented in `.env.example`.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { PgliteThread } from '@switchboard/db';
import { GEMINI_BASE_URL, OPENAI_REALTIME_URL } from '@switchboard/voice';
import type { z } from 'zod';
import { loadOrCreateAppSecret } from './app-secret.ts';
import { type LogLevel, type NodeEnv, type Parsed, type TrustProxy, VARIABLES } from './config-variables.ts';

export type { LogLevel, NodeEnv, TrustProxy } from './config-variables.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface Config {
  env: NodeEnv;
  logLevel: LogLevel;
  /** Logs to a terminal are pretty one-liners (JSON otherwise, and always with NODE_ENV=production set). */
  prettyLogsOnTty: boolean;
  port: number;
  host: string;
  /** Base URL Twilio and browsers reach (no trailing slash); undefined until configured. */
  publicUrl: string | undefined;
  /** Extra origins allowed by CORS besides PUBLIC_URL (and the Vite dev server outside production). */
  corsOrigins: string[];
  /** Absolute path of the data directory (embedded database, generated secrets). */
  dataDir: string;
  databaseUrl: string | undefined;
  /**
   * Where the embedded database runs (PGLITE_THREAD, default `worker`): its own worker thread, so
   * its statements never hold the event loop that relays call audio; `main` runs it in-thread.
   */
  pgliteThread: PgliteThread;
  redisUrl: string | undefined;
  /**
   * Server processes on the one port (WORKERS, default 1; `auto` = cores). More than one runs a
   * cluster (cluster.ts) only with DATABASE_URL; the embedded database keeps one process.
   */
  workers: number;
  /** Signs sessions and (through HKDF) encrypts stored credentials. */
  appSecret: string;
  appSecretSource: 'env' | 'file' | 'generated';
  admin: { email: string; password: string | undefined };
  twilio: {
    accountSid: string | undefined;
    authToken: string | undefined;
    phoneNumber: string | undefined;
    apiBaseUrl: string;
  };
  openai: { apiKey: string | undefined; realtimeUrl: string; baseUrl: string };
  /**
   * Caller audio goes to the model in chunks of at least this many ms (MODEL_INPUT_CHUNK_MS, 0):
   * 40 halves the writes to the model for up to one 20 ms frame's wait; 20 or less sends every frame.
   */
  modelInputChunkMs: number;
  gemini: { apiKey: string | undefined; baseUrl: string };
  /** Text models (chat, post-call analysis, supervisor): the default model id per provider. */
  text: { openaiModel: string; geminiModel: string };
  google: {
    applicationCredentials: string | undefined;
    /** Google Calendar API root; undefined = Google's (tests point it at a local fake). */
    calendarApiUrl: string | undefined;
  };
  knowledge: {
    /** Embeddings model at OPENAI_BASE_URL/embeddings; unset = full-text retrieval only. */
    embeddingsModel: string | undefined;
  };
  mcp: {
    /** Whether owners may register MCP servers that run a local command (stdio). */
    allowStdio: boolean;
  };
  /** SIP trunks (docs/sip.md); `port` undefined = no SIP listener. */
  sip: {
    port: number | undefined;
    /** RTP/RTCP ports, inclusive (default 10000-10999: 500 calls). */
    rtpPorts: { min: number; max: number };
    /** Address for Via, Contact and SDP; undefined = HOST when it is an address, else this machine's first. */
    publicAddress: string | undefined;
  };
  /** POST /api/auth/register creates new organizations (hosting several businesses). */
  allowSignup: boolean;
  /** The environment's provider credentials serve every organization, not only the first. */
  shareEnvCredentials: boolean;
  /** Abuse and cost limits (docs/security.md). */
  limits: {
    /** A media socket that has not sent a valid `start` by then is closed (STREAM_START_TIMEOUT_S, 10 s). */
    streamStartTimeoutMs: number;
    /** WebSockets accepted but not yet admitted (no `start`, or checks running): overall and per client IP. */
    pendingSockets: { max: number; perIp: number };
    /** Failed sign-ins per client IP and per account in a window, and argon2 checks at once. */
    login: { failuresPerIp: number; failuresPerAccount: number; windowMs: number; concurrency: number };
    /** Open SSE streams per user (or API key), per process. */
    sseStreamsPerUser: number;
    /** Browser test calls (model sessions) at once per user and per organization, per process. */
    browserCalls: { perUser: number; perOrg: number };
    /** On SIGTERM, how long live calls may go on before they are ended (SHUTDOWN_DRAIN_S, 30 s). */
    shutdownDrainMs: number;
    /**
     * A call left non-final is settled as `server_restart` once older than its agent's maximum
     * duration plus this (RECONCILE_GRACE_S, 120 s): time for its own end to be written.
     */
    reconcileGraceMs: number;
    /** Calls running at once in this process, and live calls per organization (all processes). */
    concurrentCalls: { perServer: number; perOrg: number };
    /** WebSocket ping interval of call sockets; a peer that misses one is cut (SOCKET_PING_INTERVAL_S, 30 s). */
    socketPingMs: number;
    /** Texts one organization may send in 24 hours, by its agents and by hand (SMS_PER_ORG_PER_DAY, 200). */
    smsPerOrgPerDay: number;
    /**
     * Countries texts may go to (SMS_ALLOWED_COUNTRIES): ISO codes, `any`, or `org` (default:
     * each organization's default country).
     */
    smsAllowedCountries: readonly string[] | 'any' | 'org';
    /** Prefix of the limiters' Redis keys (not an environment variable; tests isolate themselves with it). */
    redisKeyPrefix: string;
  };
  /** Reverse proxies to believe for the client address (rate limits, audit log); default none. */
  trustProxy: TrustProxy;
  /** Telephony price per started minute, USD, by direction (browser test calls cost nothing). */
  telephonyRates: { inboundPerMin: number; outboundPerMin: number };
  /** Outgoing webhooks may target http:// and private/loopback addresses (docs/webhooks.md). */
  webhookAllowPrivate: boolean;
  /** Caps on the website widget's public surface (docs/widget.md "Limits"). */
  widget: WidgetLimits;
}

export interface WidgetLimits {
  /** Widget sessions open at once (pending tokens included) per organization / per agent. */
  maxSessionsPerOrg: number;
  maxSessionsPerAgent: number;
  /** Sessions one visitor IP may start per rolling hour. */
  sessionsPerIpPerHour: number;
  /** Longest chat message a visitor may send (characters). */
  maxMessageChars: number;
  /** Chat messages one session may send per rolling minute. */
  messagesPerMinute: number;
  /** A widget voice session ends after this long (the agent's own cap applies when shorter). */
  voiceMaxSeconds: number;
  /** A chat session (socket) is closed after this long. */
  chatMaxSeconds: number;
}

function parseVariables(env: Record<string, string | undefined>): Parsed {
  const parsed: Record<string, unknown> = {};
  for (const [name, { schema, expects }] of Object.entries(VARIABLES)) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const result = (schema as z.ZodType).safeParse(raw);
    if (!result.success) {
      const shown = /(SECRET|TOKEN|KEY|PASSWORD)$/.test(name) ? '…' : maskCredentials(raw);
      throw new ConfigError(`${name} must be ${expects}, got "${shown}"`);
    }
    parsed[name] = result.data;
  }
  return parsed as Parsed;
}

/**
 * A value shown in a boot error with any credentials hidden: the user:password of a URL (even a
 * malformed one) and password-like query parameters.
 */
export function maskCredentials(value: string): string {
  let masked = value;
  const at = masked.lastIndexOf('@');
  if (at >= 0) {
    const slashes = masked.indexOf('//');
    const start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
    masked = `${masked.slice(0, start)}…${masked.slice(at)}`;
  }
  return masked.replace(/([?&](?:password|pass|pwd|token|secret|key)=)[^&#]*/gi, '$1…');
}

/**
 * Parses the environment into a Config. When APP_SECRET is unset the secret is read from (or
 * generated into) `DATA_DIR/app-secret`, so this may create that file.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const v = parseVariables(env);
  const dataDirInput = v.DATA_DIR ?? './data';
  const dataDir = isAbsolute(dataDirInput) ? dataDirInput : resolve(dataDirInput);
  const secret = v.APP_SECRET
    ? { value: v.APP_SECRET, source: 'env' as const }
    : loadOrCreateAppSecret(dataDir, (message) => new ConfigError(message));
  const workers = v.WORKERS === 'auto' ? availableParallelism() : (v.WORKERS ?? 1);
  if (workers > 1 && v.DATABASE_URL && v.SIP_PORT) {
    // Every worker would bind the SIP and RTP ports, and a dialog's packets would reach any of them.
    throw new ConfigError(
      `SIP_PORT needs one server process: set WORKERS=1 on the server that takes SIP trunks (WORKERS is ${workers})`,
    );
  }
  // Production unless told otherwise: a forgotten NODE_ENV must not open dev CORS origins, log
  // query strings or trust the Host header (issue 11). `npm run dev` sets development.
  const env_ = v.NODE_ENV ?? 'production';
  return {
    env: env_,
    // A terminal gets one short readable line per entry unless NODE_ENV=production was set on purpose.
    prettyLogsOnTty: v.NODE_ENV !== 'production',
    logLevel: v.LOG_LEVEL ?? (env_ === 'test' ? 'silent' : 'info'),
    port: v.PORT ?? 3000,
    host: v.HOST ?? '0.0.0.0',
    publicUrl: v.PUBLIC_URL,
    corsOrigins: v.CORS_ORIGINS ?? [],
    dataDir,
    pgliteThread: v.PGLITE_THREAD ?? 'worker',
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    workers,
    appSecret: secret.value,
    appSecretSource: secret.source,
    admin: { email: (v.ADMIN_EMAIL ?? 'admin@example.com').toLowerCase(), password: v.ADMIN_PASSWORD },
    twilio: {
      accountSid: v.TWILIO_ACCOUNT_SID,
      authToken: v.TWILIO_AUTH_TOKEN,
      phoneNumber: v.TWILIO_PHONE_NUMBER,
      apiBaseUrl: v.TWILIO_API_BASE_URL ?? 'https://api.twilio.com',
    },
    openai: {
      apiKey: v.OPENAI_API_KEY,
      realtimeUrl: v.OPENAI_REALTIME_URL ?? OPENAI_REALTIME_URL,
      baseUrl: v.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
    },
    modelInputChunkMs: v.MODEL_INPUT_CHUNK_MS ?? 0,
    gemini: {
      apiKey: v.GEMINI_API_KEY,
      baseUrl: v.GEMINI_BASE_URL ?? GEMINI_BASE_URL,
    },
    text: {
      openaiModel: v.OPENAI_TEXT_MODEL ?? 'gpt-4.1-mini',
      geminiModel: v.GEMINI_TEXT_MODEL ?? 'gemini-2.5-flash',
    },
    google: {
      applicationCredentials: v.GOOGLE_APPLICATION_CREDENTIALS,
      calendarApiUrl: v.GOOGLE_CALENDAR_API_URL,
    },
    knowledge: { embeddingsModel: v.KNOWLEDGE_EMBEDDINGS_MODEL },
    mcp: { allowStdio: v.MCP_ALLOW_STDIO ?? false },
    sip: {
      port: v.SIP_PORT,
      rtpPorts: v.RTP_PORTS ? { min: v.RTP_PORTS[0], max: v.RTP_PORTS[1] } : { min: 10_000, max: 10_999 },
      publicAddress: v.SIP_PUBLIC_ADDRESS,
    },
    allowSignup: v.ALLOW_SIGNUP ?? false,
    shareEnvCredentials: v.SHARE_ENV_CREDENTIALS ?? false,
    limits: {
      streamStartTimeoutMs: Math.round((v.STREAM_START_TIMEOUT_S ?? 10) * 1000),
      pendingSockets: { max: v.PENDING_SOCKETS_MAX ?? 200, perIp: v.PENDING_SOCKETS_PER_IP ?? 50 },
      login: {
        failuresPerIp: v.LOGIN_FAILURES_PER_IP ?? 50,
        failuresPerAccount: v.LOGIN_FAILURES_PER_ACCOUNT ?? 10,
        windowMs: (v.LOGIN_FAILURE_WINDOW_S ?? 900) * 1000,
        concurrency: v.LOGIN_CONCURRENCY ?? 4,
      },
      sseStreamsPerUser: v.SSE_STREAMS_PER_USER ?? 10,
      browserCalls: { perUser: v.BROWSER_CALLS_PER_USER ?? 2, perOrg: v.BROWSER_CALLS_PER_ORG ?? 5 },
      shutdownDrainMs: Math.round((v.SHUTDOWN_DRAIN_S ?? 30) * 1000),
      reconcileGraceMs: Math.round((v.RECONCILE_GRACE_S ?? 120) * 1000),
      smsPerOrgPerDay: v.SMS_PER_ORG_PER_DAY ?? 200,
      smsAllowedCountries:
        v.SMS_ALLOWED_COUNTRIES === undefined
          ? 'org'
          : v.SMS_ALLOWED_COUNTRIES === '*'
            ? 'any'
            : v.SMS_ALLOWED_COUNTRIES,
      concurrentCalls: {
        perServer: v.MAX_CONCURRENT_CALLS ?? 100,
        perOrg: v.MAX_CONCURRENT_CALLS_PER_ORG ?? 20,
      },
      socketPingMs: Math.round((v.SOCKET_PING_INTERVAL_S ?? 30) * 1000),
      redisKeyPrefix: 'switchboard:',
    },
    widget: {
      maxSessionsPerOrg: v.WIDGET_MAX_SESSIONS_PER_ORG ?? 50,
      maxSessionsPerAgent: v.WIDGET_MAX_SESSIONS_PER_AGENT ?? 20,
      sessionsPerIpPerHour: v.WIDGET_SESSIONS_PER_IP_PER_HOUR ?? 20,
      maxMessageChars: v.WIDGET_MAX_MESSAGE_CHARS ?? 2000,
      messagesPerMinute: v.WIDGET_MESSAGES_PER_MINUTE ?? 12,
      voiceMaxSeconds: v.WIDGET_VOICE_MAX_SECONDS ?? 300,
      chatMaxSeconds: v.WIDGET_CHAT_MAX_SECONDS ?? 1800,
    },
    trustProxy: v.TRUST_PROXY ?? false,
    telephonyRates: {
      inboundPerMin: v.TELEPHONY_INBOUND_USD_PER_MIN ?? 0.0085,
      outboundPerMin: v.TELEPHONY_OUTBOUND_USD_PER_MIN ?? 0.014,
    },
    webhookAllowPrivate: v.WEBHOOK_ALLOW_PRIVATE ?? false,
  };
}
