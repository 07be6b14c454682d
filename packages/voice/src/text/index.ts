// Text models (chat completions / generateContent) and the text agent loop. docs/text-models.md.
export {
  completeTextAgent,
  DEFAULT_MAX_ITERATIONS,
  DEFAULT_TIME_BUDGET_MS,
  MAX_TOOL_OUTPUT_CHARS,
  runTextAgent,
  type TextAgentEvent,
  type TextAgentOptions,
  type TextAgentResult,
  type TextAgentStopReason,
} from './agent.ts';
export { type TextChatControl, textChatControl } from './chat-control.ts';
export { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TEXT_TIMEOUT_MS, type TextModelOptions } from './client.ts';
export { TextModelError, type TextModelErrorCode } from './errors.ts';
export { createTextModel, TEXT_PROVIDERS } from './factory.ts';
export { createGeminiTextModel, GEMINI_TEXT_BASE_URL } from './gemini.ts';
export { createOpenAITextModel, OPENAI_TEXT_BASE_URL } from './openai.ts';
export { type StructuredOutput, structuredOutput } from './structured-output.ts';
export * from './types.ts';
