/** Picks the text model adapter for a provider (the server resolves which, and the key). */
import type { TextModelOptions } from './client.ts';
import { createGeminiTextModel } from './gemini.ts';
import { createOpenAITextModel } from './openai.ts';
import type { TextModel, TextProvider } from './types.ts';

export const TEXT_PROVIDERS: readonly TextProvider[] = ['openai', 'gemini'];

export function createTextModel(provider: TextProvider, options: TextModelOptions): TextModel {
  return provider === 'gemini' ? createGeminiTextModel(options) : createOpenAITextModel(options);
}
