/**
 * Gemini `generateContent` (`POST {base}/v1beta/models/{model}:generateContent`, key in
 * `x-goog-api-key`) and `:streamGenerateContent?alt=sse` (each SSE event a whole
 * GenerateContentResponse with the next text; function calls arrive whole). Roles `user` and
 * `model`; tool results go back as `functionResponse` parts in a `user` turn, one per call;
 * `thoughtSignature`s are echoed on the parts they came with (required by Gemini 3 with tools).
 * Schemas use the OpenAPI subset (`toGeminiSchema`). docs/text-models.md.
 */
import { z } from 'zod';
import { toGeminiSchema } from '../realtime/gemini/schema.ts';
import { createTextModelFromWire, type ProviderWire, type TextModelOptions } from './client.ts';
import { TextModelError } from './errors.ts';
import type {
  TextFinishReason,
  TextModel,
  TextRequest,
  TextResponse,
  TextStreamEvent,
  TextToolCall,
} from './types.ts';

export const GEMINI_TEXT_BASE_URL = 'https://generativelanguage.googleapis.com';

const partSchema = z.object({
  text: z.string().nullish(),
  thought: z.boolean().nullish(),
  thoughtSignature: z.string().nullish(),
  functionCall: z
    .object({ name: z.string(), args: z.record(z.string(), z.unknown()).nullish(), id: z.string().nullish() })
    .nullish(),
});

const responseSchema = z.object({
  candidates: z
    .array(
      z.object({
        content: z.object({ parts: z.array(partSchema).nullish() }).nullish(),
        finishReason: z.string().nullish(),
      }),
    )
    .nullish(),
  promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: z
    .object({
      promptTokenCount: z.number().nullish(),
      candidatesTokenCount: z.number().nullish(),
      thoughtsTokenCount: z.number().nullish(),
      cachedContentTokenCount: z.number().nullish(),
      totalTokenCount: z.number().nullish(),
    })
    .nullish(),
  modelVersion: z.string().nullish(),
});
type GeminiResponse = z.output<typeof responseSchema>;

export function createGeminiTextModel(options: TextModelOptions): TextModel {
  const base = httpBase(options.baseUrl ?? GEMINI_TEXT_BASE_URL);
  const wire: ProviderWire = {
    provider: 'gemini',
    url: (request, stream) => {
      const model = encodeURIComponent(request.model.replace(/^models\//, ''));
      return `${base}/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
    },
    headers: (apiKey) => ({ 'x-goog-api-key': apiKey }),
    body: geminiBody,
    parse: (json, request) => {
      const turn = new Turn(request.model);
      turn.add(read(json));
      return turn.response();
    },
    async *readStream(data, request): AsyncGenerator<TextStreamEvent> {
      const turn = new Turn(request.model);
      for await (const payload of data) {
        let json: unknown;
        try {
          json = JSON.parse(payload);
        } catch (cause) {
          throw new TextModelError('protocol', 'Gemini sent a stream event that is not JSON', { cause });
        }
        if (typeof json === 'object' && json !== null && 'error' in json) {
          throw new TextModelError('server', 'Gemini reported an error inside the stream');
        }
        const text = turn.add(read(json));
        if (text) yield { type: 'text_delta', text };
      }
      yield { type: 'done', response: turn.response() };
    },
  };
  return createTextModelFromWire(wire, options);
}

/** GEMINI_BASE_URL may be given as ws(s):// (it also serves Gemini Live). */
function httpBase(base: string): string {
  return base.replace(/^ws(s?):\/\//, 'http$1://').replace(/\/+$/, '');
}

function read(json: unknown): GeminiResponse {
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) throw new TextModelError('protocol', 'Gemini sent a response of an unknown shape');
  return parsed.data;
}

/** Accumulates one model turn from one response or a stream of them. */
class Turn {
  #model: string;
  #text = '';
  #textSignature: string | undefined;
  #calls: TextToolCall[] = [];
  #finish: string | undefined;
  #blocked = false;
  #usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0 };

  constructor(model: string) {
    this.#model = model;
  }

  /** Adds one response (or stream event); returns the new visible text. */
  add(response: GeminiResponse): string {
    if (response.modelVersion) this.#model = response.modelVersion;
    if (response.promptFeedback?.blockReason) this.#blocked = true;
    const usage = response.usageMetadata;
    if (usage) {
      // Counts are running totals in a stream: the last event's are the turn's.
      this.#usage = {
        inputTokens: usage.promptTokenCount ?? 0,
        outputTokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
        totalTokens: usage.totalTokenCount ?? 0,
        cachedInputTokens: usage.cachedContentTokenCount ?? 0,
      };
    }
    const [candidate] = response.candidates ?? [];
    if (candidate?.finishReason) this.#finish = candidate.finishReason;
    let added = '';
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) {
        const providerData: Record<string, string> = {};
        if (part.thoughtSignature) providerData.thoughtSignature = part.thoughtSignature;
        if (part.functionCall.id) providerData.callId = part.functionCall.id;
        this.#calls.push({
          id: part.functionCall.id ?? `call_${this.#calls.length}`,
          name: part.functionCall.name,
          arguments: JSON.stringify(part.functionCall.args ?? {}),
          ...(Object.keys(providerData).length ? { providerData } : {}),
        });
        continue;
      }
      if (part.thoughtSignature) this.#textSignature = part.thoughtSignature;
      if (part.text && !part.thought) added += part.text;
    }
    this.#text += added;
    return added;
  }

  response(): TextResponse {
    const toolCalls = this.#calls;
    const finishReason = this.#finishReason();
    const providerData = this.#textSignature ? { thoughtSignature: this.#textSignature } : undefined;
    return {
      model: this.#model,
      text: this.#text,
      toolCalls,
      finishReason,
      usage: this.#usage,
      message: {
        role: 'assistant',
        text: this.#text,
        ...(toolCalls.length ? { toolCalls } : {}),
        ...(providerData ? { providerData } : {}),
      },
    };
  }

  #finishReason(): TextFinishReason {
    if (this.#calls.length > 0) return 'tool_calls';
    if (this.#blocked) return 'content_filter';
    if (this.#finish === 'STOP') return 'stop';
    if (this.#finish === 'MAX_TOKENS') return 'length';
    if (['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII'].includes(this.#finish ?? '')) {
      return 'content_filter';
    }
    return 'other';
  }
}

function geminiBody(request: TextRequest): Record<string, unknown> {
  const contents: Array<{ role: 'user' | 'model'; parts: unknown[] }> = [];
  /** Calls whose id came from Gemini: their responses carry it back. */
  const providerIds = new Set<string>();
  for (const m of request.messages) {
    if (m.role === 'user') contents.push({ role: 'user', parts: [{ text: m.text }] });
    else if (m.role === 'assistant') {
      const parts: unknown[] = [];
      if (m.text !== '' || m.providerData?.thoughtSignature) {
        parts.push({ text: m.text, ...signature(m.providerData) });
      }
      for (const call of m.toolCalls ?? []) {
        const id = call.providerData?.callId;
        if (id) providerIds.add(id);
        parts.push({
          functionCall: { name: call.name, args: argsObject(call.arguments), ...(id ? { id } : {}) },
          ...signature(call.providerData),
        });
      }
      if (parts.length) contents.push({ role: 'model', parts });
    } else {
      // All results of one model turn go back together, as parts of one user turn.
      const id = providerIds.has(m.toolCallId) ? { id: m.toolCallId } : {};
      const part = { functionResponse: { name: m.name, ...id, response: responseObject(m.output) } };
      const previous = contents.at(-1);
      if (
        previous?.role === 'user' &&
        (previous.parts[0] as { functionResponse?: unknown }).functionResponse
      ) {
        previous.parts.push(part);
      } else contents.push({ role: 'user', parts: [part] });
    }
  }
  const body: Record<string, unknown> = { contents };
  if (request.instructions) body.systemInstruction = { parts: [{ text: request.instructions }] };
  if (request.tools?.length) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((t) => ({
          name: t.name,
          description: t.description,
          parameters: toGeminiSchema(t.parameters),
        })),
      },
    ];
    body.toolConfig = { functionCallingConfig: { mode: request.toolChoice === 'none' ? 'NONE' : 'AUTO' } };
  }
  const generationConfig: Record<string, unknown> = {};
  if (request.output) {
    generationConfig.responseMimeType = 'application/json';
    generationConfig.responseSchema = toGeminiSchema(request.output.schema);
  }
  if (request.maxOutputTokens !== undefined) generationConfig.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) generationConfig.temperature = request.temperature;
  if (Object.keys(generationConfig).length) body.generationConfig = generationConfig;
  return body;
}

function signature(data: Record<string, string> | undefined) {
  return data?.thoughtSignature ? { thoughtSignature: data.thoughtSignature } : {};
}

function argsObject(json: string): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** `functionResponse.response` must be an object: a tool's object result as is, anything else wrapped. */
function responseObject(output: string): Record<string, unknown> {
  try {
    const value = JSON.parse(output) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
    return { output: value };
  } catch {
    return { output };
  }
}
