/**
 * Which text model an organization's text work uses (chat, post-call analysis, supervisor):
 * OpenAI when it has an OpenAI key (stored integration first, then OPENAI_API_KEY), otherwise
 * Gemini when it has a Gemini key — so an agent on Gemini Live with no OpenAI key gets Gemini.
 * The model id comes from OPENAI_TEXT_MODEL / GEMINI_TEXT_MODEL, the endpoint from
 * OPENAI_BASE_URL / GEMINI_BASE_URL. docs/text-models.md.
 *
 *   const text = await resolveTextModel(ctx, organizationId);
 *   if (!text) throw new AppError('text_model_unavailable', …);
 *   const reply = await text.model.complete({ model: text.modelName, messages, output });
 */
import {
  createTextModel,
  type TextModel,
  type TextModelOptions,
  type TextProvider,
} from '@switchboard/voice';
import type { IntegrationDeps } from '../integrations/settings.ts';
import { resolveCredentials } from '../services/resolve-credentials.ts';

export interface ResolvedTextModel {
  provider: TextProvider;
  /** The model id to put in each request. */
  modelName: string;
  model: TextModel;
}

export interface ResolveTextModelOptions {
  /** Client overrides (deadline, retries, response bound). */
  client?: Omit<TextModelOptions, 'apiKey' | 'baseUrl'>;
}

/** Resolves to null when the organization has neither an OpenAI nor a Gemini key. */
export async function resolveTextModel(
  ctx: IntegrationDeps,
  organizationId: string,
  options: ResolveTextModelOptions = {},
): Promise<ResolvedTextModel | null> {
  const credentials = await resolveCredentials(ctx, organizationId);
  const provider: TextProvider | null = credentials.openai ? 'openai' : credentials.gemini ? 'gemini' : null;
  if (!provider) return null;
  const { config } = ctx;
  const apiKey = provider === 'openai' ? credentials.openai!.apiKey : credentials.gemini!.apiKey;
  return {
    provider,
    modelName: provider === 'openai' ? config.text.openaiModel : config.text.geminiModel,
    model: createTextModel(provider, {
      ...options.client,
      apiKey,
      baseUrl: provider === 'openai' ? config.openai.baseUrl : config.gemini.baseUrl,
    }),
  };
}
