/**
 * Text model failures, classified where they happen. `retryable` says whether the same request
 * may succeed later (rate limits, provider outages, timeouts, dropped connections); messages
 * name the provider and the HTTP status, never the key or the conversation.
 */
import type { TextProvider } from './types.ts';

export type TextModelErrorCode =
  | 'auth' // 401/403: the key is wrong or lacks access
  | 'bad_request' // 400/404/422: the request (model name, schema, history) was refused
  | 'rate_limited' // 429
  | 'server' // 5xx, or an error inside a stream
  | 'timeout' // the deadline passed
  | 'aborted' // the caller's signal
  | 'network' // no answer: DNS, refused, reset
  | 'too_large' // the response passed the size bound
  | 'protocol' // an answer we cannot read
  | 'invalid_output'; // structured output that is not JSON or fails its schema

const RETRYABLE: ReadonlySet<TextModelErrorCode> = new Set(['rate_limited', 'server', 'timeout', 'network']);

export interface TextModelErrorOptions {
  status?: number;
  /** The provider's own error code/status (`rate_limit_exceeded`, `RESOURCE_EXHAUSTED`). */
  providerCode?: string;
  /** Seconds the provider asked us to wait (`Retry-After`). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class TextModelError extends Error {
  override readonly name = 'TextModelError';
  readonly code: TextModelErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: TextModelErrorCode, message: string, options: TextModelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function codeForStatus(status: number): TextModelErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  return 'bad_request';
}

const LABEL: Record<TextProvider, string> = { openai: 'OpenAI', gemini: 'Gemini' };

/**
 * The error for a non-2xx answer. Both providers answer `{"error":{…}}`: OpenAI with `message`,
 * `type`, `code`; Google with `code`, `message`, `status`. The provider's message is kept (cut
 * to 300 characters): it names the problem (unknown model, bad schema) and carries no secrets.
 */
export function httpError(provider: TextProvider, status: number, body: string, retryAfter: string | null) {
  let providerCode: string | undefined;
  let detail = '';
  try {
    const error = (JSON.parse(body) as { error?: Record<string, unknown> }).error;
    if (error) {
      const code = error.code ?? error.status ?? error.type;
      if (typeof code === 'string') providerCode = code;
      if (typeof error.status === 'string') providerCode = error.status;
      if (typeof error.message === 'string') detail = error.message.slice(0, 300);
    }
  } catch {
    // Not JSON (a proxy's HTML page): the status says enough.
  }
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  // Google answers a wrong key with 400 INVALID_ARGUMENT and the reason API_KEY_INVALID.
  const code = body.includes('API_KEY_INVALID') ? 'auth' : codeForStatus(status);
  return new TextModelError(
    code,
    `${LABEL[provider]} answered ${status}${providerCode ? ` (${providerCode})` : ''}${detail ? `: ${detail}` : ''}`,
    {
      status,
      ...(providerCode ? { providerCode } : {}),
      ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterSeconds: seconds } : {}),
    },
  );
}

export function providerLabel(provider: TextProvider): string {
  return LABEL[provider];
}
