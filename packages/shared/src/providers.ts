/**
 * Facts about each realtime speech provider, in one table: its models, voices and turn
 * detection kinds. Server validation, the voice adapters' defaults and the dashboard's
 * dropdowns all read this table (docs/realtime.md#providers).
 */

export const PROVIDERS = ['openai', 'gemini'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Turn detection: `server_vad` answers after a silence; `semantic_vad` lets the model judge. */
export const VAD_TYPES = ['server_vad', 'semantic_vad'] as const;
export type VadType = (typeof VAD_TYPES)[number];

export interface ProviderFacts {
  /** The provider's name in the dashboard. */
  label: string;
  /** Used when an agent names no model, and by the integration test of the provider's key. */
  defaultModel: string;
  /** Prebuilt voices an agent may pick. */
  voices: readonly string[];
  /** Used when an agent names no voice (one of `voices`). */
  defaultVoice: string;
  /** Turn detection kinds the provider offers; the first is the default. */
  vadTypes: readonly VadType[];
}

export const PROVIDER_FACTS: Readonly<Record<Provider, ProviderFacts>> = {
  openai: {
    label: 'OpenAI Realtime',
    defaultModel: 'gpt-realtime',
    voices: ['alloy', 'ash', 'ballad', 'cedar', 'coral', 'echo', 'marin', 'sage', 'shimmer', 'verse'],
    defaultVoice: 'marin',
    vadTypes: ['server_vad', 'semantic_vad'],
  },
  gemini: {
    label: 'Google Gemini Live',
    defaultModel: 'gemini-live-2.5-flash-preview',
    voices: ['Puck', 'Charon', 'Kore', 'Fenrir', 'Aoede', 'Leda', 'Orus', 'Zephyr'],
    defaultVoice: 'Puck',
    // Gemini Live's activity detection is silence-based only.
    vadTypes: ['server_vad'],
  },
};

const byProvider = <T>(pick: (facts: ProviderFacts) => T): Record<Provider, T> =>
  Object.fromEntries(PROVIDERS.map((p) => [p, pick(PROVIDER_FACTS[p])])) as Record<Provider, T>;

/** Views of {@link PROVIDER_FACTS}, keyed by provider. */
export const DEFAULT_MODELS: Record<Provider, string> = byProvider((f) => f.defaultModel);
export const DEFAULT_VOICES: Record<Provider, string> = byProvider((f) => f.defaultVoice);
export const VOICES: Record<Provider, readonly string[]> = byProvider((f) => f.voices);

/** The providers that offer `vadType` (for validation messages). */
export function providersWithVad(vadType: VadType): Provider[] {
  return PROVIDERS.filter((p) => PROVIDER_FACTS[p].vadTypes.includes(vadType));
}
