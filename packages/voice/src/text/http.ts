/**
 * The HTTP edge of the text models: one POST with a deadline, the caller's AbortSignal and a
 * bound on the bytes read, answered as parsed JSON or as the `data:` payloads of a
 * Server-Sent-Events stream. Every failure becomes a classified `TextModelError`.
 */
import { httpError, providerLabel, TextModelError } from './errors.ts';
import type { TextProvider } from './types.ts';

export interface PostOptions {
  provider: TextProvider;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  /** Most bytes read from the answer (a bigger one fails with `too_large`). */
  maxResponseBytes: number;
  fetch: typeof fetch;
}

/** POSTs and resolves with the parsed JSON answer. */
export async function postJson(options: PostOptions): Promise<unknown> {
  return withDeadline(options, async (signal) => {
    const response = await send(options, signal, 'application/json');
    const text = new TextDecoder().decode(await readBounded(response, options));
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new TextModelError(
        'protocol',
        `${providerLabel(options.provider)} sent a body that is not JSON`,
        { cause },
      );
    }
  });
}

/** POSTs and yields the data of each SSE event (`data:` lines joined), until the stream ends. */
export async function* postSse(options: PostOptions): AsyncGenerator<string> {
  const deadline = startDeadline(options);
  try {
    const response = await send(options, deadline.signal, 'text/event-stream').catch((e) => {
      throw deadline.translate(e);
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let data: string[] = [];
    let bytes = 0;
    try {
      for (;;) {
        const chunk = await reader.read().catch((e) => {
          throw deadline.translate(e);
        });
        if (chunk.done) break;
        bytes += chunk.value.byteLength;
        if (bytes > options.maxResponseBytes) throw tooLarge(options);
        buffered += decoder.decode(chunk.value, { stream: true });
        let newline = buffered.indexOf('\n');
        while (newline !== -1) {
          const line = buffered.slice(0, newline).replace(/\r$/, '');
          buffered = buffered.slice(newline + 1);
          if (line === '') {
            if (data.length > 0) yield data.join('\n');
            data = [];
          } else if (line.startsWith('data:')) {
            data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
          }
          // Other fields (`event:`, `id:`, `retry:`, `: comments`) carry nothing we use.
          newline = buffered.indexOf('\n');
        }
      }
      const last = buffered.replace(/\r$/, '');
      if (last.startsWith('data:')) data.push(last.slice(last.startsWith('data: ') ? 6 : 5));
      if (data.length > 0) yield data.join('\n');
    } finally {
      await reader.cancel().catch(() => {});
    }
  } finally {
    deadline.clear();
  }
}

async function send(options: PostOptions, signal: AbortSignal, accept: string): Promise<Response> {
  const response = await options.fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...options.headers },
    body: JSON.stringify(options.body),
    signal,
    redirect: 'error',
  });
  if (!response.ok) {
    const body = new TextDecoder().decode(
      await readBounded(response, { ...options, maxResponseBytes: 64 * 1024 }),
    );
    throw httpError(options.provider, response.status, body, response.headers.get('retry-after'));
  }
  if (!response.body) throw new TextModelError('protocol', `${providerLabel(options.provider)} sent no body`);
  return response;
}

async function readBounded(response: Response, options: Pick<PostOptions, 'provider' | 'maxResponseBytes'>) {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxResponseBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(options);
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    bytes += chunk.value.byteLength;
    if (bytes > options.maxResponseBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(options);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(options: Pick<PostOptions, 'provider' | 'maxResponseBytes'>) {
  return new TextModelError(
    'too_large',
    `${providerLabel(options.provider)} sent more than ${options.maxResponseBytes} bytes`,
  );
}

interface Deadline {
  signal: AbortSignal;
  /** Turns an abort (or a network failure) into the matching TextModelError. */
  translate(error: unknown): unknown;
  clear(): void;
}

function startDeadline(options: PostOptions): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const label = providerLabel(options.provider);
  return {
    signal,
    translate: (error) => {
      if (error instanceof TextModelError) return error;
      if (timedOut)
        return new TextModelError('timeout', `${label} did not answer within ${options.timeoutMs} ms`);
      if (options.signal?.aborted) return new TextModelError('aborted', `the ${label} request was cancelled`);
      return new TextModelError('network', `${label} could not be reached`, { cause: error });
    },
    clear: () => clearTimeout(timer),
  };
}

async function withDeadline<T>(options: PostOptions, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = startDeadline(options);
  try {
    return await run(deadline.signal);
  } catch (error) {
    throw deadline.translate(error);
  } finally {
    deadline.clear();
  }
}
