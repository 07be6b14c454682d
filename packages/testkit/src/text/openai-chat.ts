/**
 * Fake OpenAI Chat Completions: `POST /v1/chat/completions` on loopback, answered from a
 * TextScript, non-streaming (`chat.completion`) or streaming (SSE `chat.completion.chunk`s with
 * `tool_calls` fragments by `index`, the `include_usage` chunk, `data: [DONE]`). docs/testkit.md.
 *
 *   const openai = await startFakeOpenAIChat({ script: [
 *     { when: { lastUser: 'monday' }, toolCalls: [{ name: 'check_availability', arguments: { day: 'monday' } }] },
 *     { when: { afterTool: 'check_availability' }, say: 'Monday at ten is free.' },
 *   ] });
 *   // OPENAI_BASE_URL = openai.url   (http://127.0.0.1:PORT/v1)
 */
import { randomBytes } from 'node:crypto';
import {
  delay,
  type FakeRequestContext,
  HttpFake,
  type RecordedTextRequest,
  sendJson,
  startSse,
  type TextFake,
  type TextFakeOptions,
} from './http-fake.ts';
import { type OpenAIErrorBody, readChatRequest } from './openai-chat-request.ts';
import {
  chunkText,
  estimateTokens,
  plannedReply,
  type TextConversation,
  type TextFakeError,
  type TextReply,
} from './script.ts';

export type FakeOpenAIChatOptions = TextFakeOptions;
/** `url` is the API base for OPENAI_BASE_URL (`…/v1`). */
export type FakeOpenAIChat = TextFake;

export async function startFakeOpenAIChat(options: FakeOpenAIChatOptions = {}): Promise<FakeOpenAIChat> {
  const fake: HttpFake = new HttpFake(options, async ({ record, res }: FakeRequestContext, failure) => {
    if (record.method !== 'POST' || record.path !== '/v1/chat/completions') {
      return sendJson(
        res,
        record,
        404,
        errorBody(`Invalid URL (${record.method} ${record.path})`, 'invalid_request_error', null),
      );
    }
    const auth = authRefusal(record.headers.authorization, options.apiKey);
    if (auth) return sendJson(res, record, 401, auth);
    if (failure) return sendFailure(res, record, failure);
    const read = readChatRequest(record.body);
    if ('status' in read) return sendJson(res, record, read.status, read.body);
    record.conversation = read;
    record.stream = read.stream;
    if (options.models && !options.models.includes(read.model)) {
      return sendJson(
        res,
        record,
        404,
        errorBody(
          `The model \`${read.model}\` does not exist or you do not have access to it.`,
          'invalid_request_error',
          'model_not_found',
        ),
      );
    }
    const { reply, turnIndex } = fake.script.take(read);
    record.turnIndex = turnIndex;
    await delay(reply.delayMs ?? 0);
    if (reply.error) return sendFailure(res, record, reply.error);
    const answer = plan(reply, read, fake.problems);
    const includeUsage =
      (record.body as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage ===
      true;
    if (!read.stream) return sendJson(res, record, 200, completion(answer, read));
    await streamCompletion(
      startSse(res, record, '\n\n'),
      answer,
      read,
      includeUsage,
      options,
      reply.dropAfterChars,
    );
  });
  await fake.listen();
  return fake.handle('/v1');
}

interface Answer {
  id: string;
  text: string;
  calls: Array<{ id: string; name: string; arguments: string }>;
  finish: string;
  promptTokens: number;
  completionTokens: number;
}

function plan(reply: TextReply, conversation: TextConversation, problems: string[]): Answer {
  const { text, calls } = plannedReply(reply, conversation, problems);
  const formatted = calls.map((c) => ({ id: `call_${randomBytes(12).toString('base64url')}`, ...c }));
  return {
    id: `chatcmpl-${randomBytes(15).toString('base64url')}`,
    text,
    calls: formatted,
    finish: reply.finishReason ?? (formatted.length ? 'tool_calls' : 'stop'),
    promptTokens: estimateTokens(JSON.stringify(conversation.messages) + conversation.instructions),
    completionTokens: estimateTokens(text + formatted.map((c) => c.name + c.arguments).join('')),
  };
}

function usage(a: Answer) {
  return {
    prompt_tokens: a.promptTokens,
    completion_tokens: a.completionTokens,
    total_tokens: a.promptTokens + a.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const created = () => Math.floor(Date.now() / 1000);

function completion(a: Answer, c: TextConversation) {
  const toolCalls = a.calls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id: a.id,
    object: 'chat.completion',
    created: created(),
    model: c.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: a.text === '' ? null : a.text,
          refusal: null,
          annotations: [],
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: a.finish,
      },
    ],
    usage: usage(a),
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
  };
}

async function streamCompletion(
  sse: ReturnType<typeof startSse>,
  a: Answer,
  c: TextConversation,
  includeUsage: boolean,
  options: FakeOpenAIChatOptions,
  dropAfterChars: number | undefined,
): Promise<void> {
  const base = {
    id: a.id,
    object: 'chat.completion.chunk',
    created: created(),
    model: c.model,
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
  };
  const send = async (delta: object, finish: string | null = null) => {
    sse.send(
      JSON.stringify({
        ...base,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
        ...(includeUsage ? { usage: null } : {}),
      }),
    );
    await delay(options.chunkDelayMs ?? 0);
  };
  await send({ role: 'assistant', content: '', refusal: null });
  let sent = 0;
  for (const piece of chunkText(a.text, options.chunkChars ?? 8)) {
    if (dropAfterChars !== undefined && sent >= dropAfterChars) return sse.drop();
    await send({ content: piece });
    sent += piece.length;
  }
  for (const [index, call] of a.calls.entries()) {
    await send({
      tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
    });
    for (const piece of chunkText(call.arguments, 12))
      await send({ tool_calls: [{ index, function: { arguments: piece } }] });
  }
  await send({}, a.finish);
  if (includeUsage) sse.send(JSON.stringify({ ...base, choices: [], usage: usage(a) }));
  sse.send('[DONE]');
  sse.end();
}

function errorBody(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

function authRefusal(
  header: string | string[] | undefined,
  apiKey: string | undefined,
): OpenAIErrorBody | undefined {
  const key = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!key) {
    return errorBody(
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error',
      null,
    );
  }
  if (apiKey !== undefined && key !== apiKey) {
    const shown = `${key.slice(0, 3)}***${key.slice(-4)}`;
    return errorBody(
      `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      'invalid_request_error',
      'invalid_api_key',
    );
  }
  return undefined;
}

const DEFAULT_ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again in 1s.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  503: {
    type: 'server_error',
    code: null,
    message: 'The engine is currently overloaded, please try again later.',
  },
};

function sendFailure(
  res: Parameters<typeof sendJson>[0],
  record: RecordedTextRequest,
  failure: TextFakeError,
): void {
  const known = DEFAULT_ERRORS[failure.status] ?? DEFAULT_ERRORS[failure.status >= 500 ? 500 : 400]!;
  const headers: Record<string, string> =
    failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
  sendJson(
    res,
    record,
    failure.status,
    errorBody(failure.message ?? known.message, known.type, failure.code ?? known.code),
    headers,
  );
}
