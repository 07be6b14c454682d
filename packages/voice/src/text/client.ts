/**
 * What both providers share around their wire format: options with defaults, the retry of a
 * request that failed before any output, and the `TextModel` methods built from a provider's
 * three pieces (request body, JSON answer → response, stream → response).
 */
import { TextModelError } from './errors.ts';
import { type PostOptions, postJson, postSse } from './http.ts';
import type { TextModel, TextProvider, TextRequest, TextResponse, TextStreamEvent } from './types.ts';

export interface TextModelOptions {
  apiKey: string;
  /** API root; the provider's public endpoint by default (tests point it at the test kit). */
  baseUrl?: string;
  /** Whole-request deadline, ms (default 60 000). A request may set its own. */
  timeoutMs?: number;
  /** Most bytes read from one answer (default 4 MiB). */
  maxResponseBytes?: number;
  /** Retries of a request that failed retryably before any output (default 1, at most 3). */
  retries?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_TEXT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const RETRY_BASE_DELAY_MS = 500;
/** A Retry-After longer than this is not waited for: the error goes to the caller. */
const MAX_RETRY_WAIT_MS = 10_000;

/** How one provider speaks: where to POST, what to send, how to read the answer. */
export interface ProviderWire {
  provider: TextProvider;
  url(request: TextRequest, stream: boolean): string;
  headers(apiKey: string): Record<string, string>;
  body(request: TextRequest, stream: boolean): unknown;
  parse(json: unknown, request: TextRequest): TextResponse;
  /** Consumes the SSE data payloads; yields deltas and finally `done`. */
  readStream(data: AsyncIterable<string>, request: TextRequest): AsyncGenerator<TextStreamEvent>;
}

export function createTextModelFromWire(wire: ProviderWire, options: TextModelOptions): TextModel {
  const retries = Math.min(Math.max(options.retries ?? 1, 0), 3);
  const post = (request: TextRequest, stream: boolean): PostOptions => ({
    provider: wire.provider,
    url: wire.url(request, stream),
    headers: wire.headers(options.apiKey),
    body: wire.body(request, stream),
    signal: request.signal,
    timeoutMs: request.timeoutMs ?? options.timeoutMs ?? DEFAULT_TEXT_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    fetch: options.fetch ?? fetch,
  });

  return {
    provider: wire.provider,
    async complete(request) {
      for (let attempt = 0; ; attempt++) {
        try {
          return wire.parse(await postJson(post(request, false)), request);
        } catch (error) {
          await waitBeforeRetry(error, attempt, retries, request.signal);
        }
      }
    },
    async *stream(request) {
      for (let attempt = 0; ; attempt++) {
        let emitted = false;
        try {
          for await (const event of wire.readStream(postSse(post(request, true)), request)) {
            emitted = true;
            yield event;
          }
          return;
        } catch (error) {
          // Text already shown cannot be taken back: only a failure before any output is retried.
          if (emitted) throw error;
          await waitBeforeRetry(error, attempt, retries, request.signal);
        }
      }
    },
  };
}

/** Waits before the next attempt, or rethrows when the error is final. */
async function waitBeforeRetry(error: unknown, attempt: number, retries: number, signal?: AbortSignal) {
  if (!(error instanceof TextModelError) || !error.retryable || attempt >= retries) throw error;
  const asked = error.retryAfterSeconds === undefined ? 0 : error.retryAfterSeconds * 1000;
  if (asked > MAX_RETRY_WAIT_MS) throw error;
  const delay = Math.max(asked, RETRY_BASE_DELAY_MS * 2 ** attempt);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, delay);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
  if (signal?.aborted) throw new TextModelError('aborted', 'the request was cancelled', { cause: error });
}
