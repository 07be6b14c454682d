/**
 * OpenAI Chat Completions (`POST {base}/chat/completions`): messages with `system`, `user`,
 * `assistant` (+ `tool_calls`) and `tool` roles; function tools; `response_format` json_schema
 * (strict) for structured output; `stream: true` answers SSE `chat.completion.chunk`s whose
 * tool-call fragments are joined by `index`, then `data: [DONE]`. docs/text-models.md.
 */
import { z } from 'zod';
import { createTextModelFromWire, type ProviderWire, type TextModelOptions } from './client.ts';
import { TextModelError } from './errors.ts';
import type {
  TextFinishReason,
  TextModel,
  TextRequest,
  TextResponse,
  TextStreamEvent,
  TextToolCall,
  TextUsage,
} from './types.ts';

export const OPENAI_TEXT_BASE_URL = 'https://api.openai.com/v1';

const usageSchema = z
  .object({
    prompt_tokens: z.number().default(0),
    completion_tokens: z.number().default(0),
    total_tokens: z.number().default(0),
    prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
  })
  .nullish();

const toolCallSchema = z.object({
  id: z.string(),
  function: z.object({ name: z.string(), arguments: z.string().default('') }),
});

const completionSchema = z.object({
  model: z.string().default(''),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z.array(toolCallSchema).nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: usageSchema,
});

const chunkSchema = z.object({
  model: z.string().nullish(),
  choices: z
    .array(
      z.object({
        delta: z
          .object({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number(),
                  id: z.string().nullish(),
                  function: z
                    .object({ name: z.string().nullish(), arguments: z.string().nullish() })
                    .nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
  usage: usageSchema,
});

const openaiWire = (base: string): ProviderWire => ({
  provider: 'openai',
  url: () => `${base}/chat/completions`,
  headers: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  body: openaiBody,
  parse(json) {
    const parsed = completionSchema.safeParse(json);
    if (!parsed.success) throw new TextModelError('protocol', 'OpenAI sent a completion of an unknown shape');
    const [choice] = parsed.data.choices;
    const message = choice!.message;
    const toolCalls = (message.tool_calls ?? []).map((c) => ({
      id: c.id,
      name: c.function.name,
      arguments: c.function.arguments,
    }));
    return response(
      parsed.data.model,
      message.content ?? message.refusal ?? '',
      toolCalls,
      message.refusal ? 'content_filter' : finishReason(choice!.finish_reason, toolCalls),
      usage(parsed.data.usage),
    );
  },
  readStream,
});

export function createOpenAITextModel(options: TextModelOptions): TextModel {
  return createTextModelFromWire(
    openaiWire((options.baseUrl ?? OPENAI_TEXT_BASE_URL).replace(/\/+$/, '')),
    options,
  );
}

function openaiBody(request: TextRequest, stream: boolean): Record<string, unknown> {
  const messages: unknown[] = request.instructions ? [{ role: 'system', content: request.instructions }] : [];
  for (const m of request.messages) {
    if (m.role === 'user') messages.push({ role: 'user', content: m.text });
    else if (m.role === 'tool')
      messages.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.output });
    else if (m.toolCalls?.length) {
      messages.push({
        role: 'assistant',
        content: m.text === '' ? null : m.text,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.arguments },
        })),
      });
    } else messages.push({ role: 'assistant', content: m.text });
  }
  const body: Record<string, unknown> = { model: request.model, messages };
  if (request.tools?.length) {
    body.tools = request.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
    body.tool_choice = request.toolChoice ?? 'auto';
  }
  if (request.output) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: request.output.name, schema: request.output.schema, strict: true },
    };
  }
  if (request.maxOutputTokens !== undefined) body.max_completion_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

async function* readStream(data: AsyncIterable<string>): AsyncGenerator<TextStreamEvent> {
  let model = '';
  let text = '';
  let refusal = '';
  let finish: string | null | undefined;
  let usageSeen: TextUsage | undefined;
  const calls = new Map<number, { id: string; name: string; args: string[] }>();
  let done = false;
  for await (const payload of data) {
    if (payload === '[DONE]') {
      done = true;
      break;
    }
    const json = parseJson(payload);
    if (typeof json === 'object' && json !== null && 'error' in json) {
      throw new TextModelError('server', 'OpenAI reported an error inside the stream');
    }
    const chunk = chunkSchema.safeParse(json);
    if (!chunk.success)
      throw new TextModelError('protocol', 'OpenAI sent a stream chunk of an unknown shape');
    if (chunk.data.model) model = chunk.data.model;
    if (chunk.data.usage) usageSeen = usage(chunk.data.usage);
    for (const choice of chunk.data.choices) {
      if (choice.finish_reason) finish = choice.finish_reason;
      const delta = choice.delta;
      if (!delta) continue;
      if (delta.content) {
        text += delta.content;
        yield { type: 'text_delta', text: delta.content };
      }
      if (delta.refusal) refusal += delta.refusal;
      for (const fragment of delta.tool_calls ?? []) {
        const call = calls.get(fragment.index) ?? { id: '', name: '', args: [] };
        if (fragment.id) call.id = fragment.id;
        if (fragment.function?.name) call.name += fragment.function.name;
        if (fragment.function?.arguments) call.args.push(fragment.function.arguments);
        calls.set(fragment.index, call);
      }
    }
  }
  if (!done) throw new TextModelError('network', 'the OpenAI stream ended before [DONE]');
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, c]) => ({ id: c.id || `call_${index}`, name: c.name, arguments: c.args.join('') }));
  const reason = refusal ? 'content_filter' : finishReason(finish, toolCalls);
  yield {
    type: 'done',
    response: response(model, text || refusal, toolCalls, reason, usageSeen ?? usage(null)),
  };
}

function parseJson(payload: string): unknown {
  try {
    return JSON.parse(payload) as unknown;
  } catch (cause) {
    throw new TextModelError('protocol', 'OpenAI sent a stream chunk that is not JSON', { cause });
  }
}

function finishReason(reason: string | null | undefined, toolCalls: TextToolCall[]): TextFinishReason {
  if (toolCalls.length > 0) return 'tool_calls';
  if (reason === 'stop' || reason === 'length' || reason === 'content_filter') return reason;
  return reason === 'tool_calls' ? 'tool_calls' : 'other';
}

function usage(raw: z.output<typeof usageSchema>): TextUsage {
  return {
    inputTokens: raw?.prompt_tokens ?? 0,
    outputTokens: raw?.completion_tokens ?? 0,
    totalTokens: raw?.total_tokens ?? 0,
    cachedInputTokens: raw?.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

function response(
  model: string,
  text: string,
  toolCalls: TextToolCall[],
  finish: TextFinishReason,
  used: TextUsage,
): TextResponse {
  return {
    model,
    text,
    toolCalls,
    finishReason: finish,
    usage: used,
    message: { role: 'assistant', text, ...(toolCalls.length ? { toolCalls } : {}) },
  };
}
