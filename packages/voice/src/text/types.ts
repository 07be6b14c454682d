/**
 * Text model contracts (chat, post-call analysis, supervisor): one provider-neutral request and
 * response shape; each provider (`openai.ts`, `gemini.ts`) converts at its own edge.
 * docs/text-models.md has the wire shapes.
 */
import type { FunctionDeclaration } from '../realtime/types.ts';

export type TextProvider = 'openai' | 'gemini';

/** A function call the model asked for. */
export interface TextToolCall {
  /** Matches the tool result to the call (the provider's id, or one made up when it sends none). */
  id: string;
  name: string;
  /** The arguments as the model wrote them: a JSON object text (may be invalid; the registry checks). */
  arguments: string;
  /** Opaque data the provider needs back with this call (Gemini's thought signature). */
  providerData?: Record<string, string>;
}

export type TextMessage =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls?: TextToolCall[]; providerData?: Record<string, string> }
  | {
      role: 'tool';
      toolCallId: string;
      name: string;
      /** What the model reads: the tool's JSON result, or `{"error":{…}}`. */
      output: string;
    };

export type AssistantMessage = Extract<TextMessage, { role: 'assistant' }>;

/** Ask for JSON matching `schema` (a JSON Schema object; see `structuredOutput`). */
export interface JsonOutput {
  /** `^[a-zA-Z0-9_-]{1,64}$` (OpenAI's rule). */
  name: string;
  schema: Record<string, unknown>;
}

export interface TextRequest {
  /** Model id (`gpt-4.1-mini`, `gemini-2.5-flash`). */
  model: string;
  /** The system instructions. */
  instructions?: string;
  messages: readonly TextMessage[];
  /** Functions the model may call (from `ToolRegistry.declarations`). */
  tools?: readonly FunctionDeclaration[];
  /** `none` forbids calling the declared tools this time (the reply must be text). Default `auto`. */
  toolChoice?: 'auto' | 'none';
  /** Structured output: the reply text is JSON matching the schema. */
  output?: JsonOutput;
  /** Cap on generated tokens. */
  maxOutputTokens?: number;
  /** 0–2; omitted = the provider's default. */
  temperature?: number;
  signal?: AbortSignal;
  /** Whole-request deadline, ms (default: the model's `timeoutMs`). */
  timeoutMs?: number;
}

export type TextFinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

export interface TextUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens served from the provider's prompt cache (billed lower). */
  cachedInputTokens: number;
}

export interface TextResponse {
  /** The model id the provider reports (it may add a version suffix). */
  model: string;
  text: string;
  toolCalls: TextToolCall[];
  finishReason: TextFinishReason;
  usage: TextUsage;
  /** The reply as a history entry, to send back on the next request. */
  message: AssistantMessage;
}

export type TextStreamEvent = { type: 'text_delta'; text: string } | { type: 'done'; response: TextResponse };

export interface TextModel {
  readonly provider: TextProvider;
  /** One request; resolves with the whole reply. Rejects with a `TextModelError`. */
  complete(request: TextRequest): Promise<TextResponse>;
  /**
   * The same request streamed: text deltas as they arrive, then `done` with the whole reply
   * (tool calls arrive complete there). Throws a `TextModelError` from the iterator.
   */
  stream(request: TextRequest): AsyncIterable<TextStreamEvent>;
}

export function emptyTextUsage(): TextUsage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0 };
}

export function addTextUsage(into: TextUsage, more: TextUsage): TextUsage {
  into.inputTokens += more.inputTokens;
  into.outputTokens += more.outputTokens;
  into.totalTokens += more.totalTokens;
  into.cachedInputTokens += more.cachedInputTokens;
  return into;
}
