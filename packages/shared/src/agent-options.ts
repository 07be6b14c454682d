/**
 * The lists the agent studio picks from: per provider the known realtime models and voices,
 * the languages (BCP 47 codes with names) and the IANA time zones. `GET /api/agent-options`
 * serves them. The lists guide; the API keeps accepting any model name and language tag it
 * accepted before, while voices and time zones are validated (docs/api.md#agent-options).
 */
import { z } from 'zod';
import { PROVIDER_FACTS, PROVIDERS, type Provider } from './providers.ts';

/** Realtime models known to work with each adapter; the first is the provider's default. */
export const REALTIME_MODELS: Readonly<Record<Provider, readonly { id: string; label: string }[]>> = {
  openai: [
    { id: 'gpt-realtime', label: 'gpt-realtime (best quality)' },
    { id: 'gpt-realtime-mini', label: 'gpt-realtime-mini (faster, cheaper)' },
    { id: 'gpt-realtime-2025-08-28', label: 'gpt-realtime-2025-08-28 (pinned snapshot)' },
    { id: 'gpt-4o-realtime-preview', label: 'gpt-4o-realtime-preview (older)' },
    { id: 'gpt-4o-mini-realtime-preview', label: 'gpt-4o-mini-realtime-preview (older)' },
  ],
  gemini: [
    { id: 'gemini-live-2.5-flash-preview', label: 'gemini-live-2.5-flash-preview' },
    {
      id: 'gemini-2.5-flash-native-audio-preview-09-2025',
      label: 'gemini-2.5-flash-native-audio-preview-09-2025 (native audio)',
    },
    { id: 'gemini-2.0-flash-live-001', label: 'gemini-2.0-flash-live-001 (older)' },
  ],
};

/** A word about each prebuilt voice, shown beside its name. */
export const VOICE_NOTES: Readonly<Record<string, string>> = {
  alloy: 'neutral, balanced',
  ash: 'clear, confident',
  ballad: 'warm, expressive',
  cedar: 'natural, grounded',
  coral: 'bright, friendly',
  echo: 'calm, resonant',
  marin: 'natural, clear',
  sage: 'soft, thoughtful',
  shimmer: 'light, energetic',
  verse: 'versatile, lively',
  Puck: 'upbeat',
  Charon: 'informative',
  Kore: 'firm',
  Fenrir: 'excitable',
  Aoede: 'breezy',
  Leda: 'youthful',
  Orus: 'firm',
  Zephyr: 'bright',
};

/** Languages the realtime models speak well, as BCP 47 tags with their English names. */
export const LANGUAGES: readonly { code: string; name: string }[] = [
  { code: 'en-US', name: 'English (United States)' },
  { code: 'en-GB', name: 'English (United Kingdom)' },
  { code: 'en-AU', name: 'English (Australia)' },
  { code: 'en-CA', name: 'English (Canada)' },
  { code: 'en-IN', name: 'English (India)' },
  { code: 'es-ES', name: 'Spanish (Spain)' },
  { code: 'es-MX', name: 'Spanish (Mexico)' },
  { code: 'es-US', name: 'Spanish (United States)' },
  { code: 'fr-FR', name: 'French (France)' },
  { code: 'fr-CA', name: 'French (Canada)' },
  { code: 'de-DE', name: 'German (Germany)' },
  { code: 'it-IT', name: 'Italian (Italy)' },
  { code: 'pt-BR', name: 'Portuguese (Brazil)' },
  { code: 'pt-PT', name: 'Portuguese (Portugal)' },
  { code: 'nl-NL', name: 'Dutch (Netherlands)' },
  { code: 'sv-SE', name: 'Swedish (Sweden)' },
  { code: 'da-DK', name: 'Danish (Denmark)' },
  { code: 'nb-NO', name: 'Norwegian Bokmål (Norway)' },
  { code: 'fi-FI', name: 'Finnish (Finland)' },
  { code: 'pl-PL', name: 'Polish (Poland)' },
  { code: 'cs-CZ', name: 'Czech (Czechia)' },
  { code: 'ro-RO', name: 'Romanian (Romania)' },
  { code: 'hu-HU', name: 'Hungarian (Hungary)' },
  { code: 'el-GR', name: 'Greek (Greece)' },
  { code: 'tr-TR', name: 'Turkish (Türkiye)' },
  { code: 'uk-UA', name: 'Ukrainian (Ukraine)' },
  { code: 'ru-RU', name: 'Russian (Russia)' },
  { code: 'ar-SA', name: 'Arabic (Saudi Arabia)' },
  { code: 'he-IL', name: 'Hebrew (Israel)' },
  { code: 'hi-IN', name: 'Hindi (India)' },
  { code: 'bn-IN', name: 'Bengali (India)' },
  { code: 'ta-IN', name: 'Tamil (India)' },
  { code: 'id-ID', name: 'Indonesian (Indonesia)' },
  { code: 'ms-MY', name: 'Malay (Malaysia)' },
  { code: 'th-TH', name: 'Thai (Thailand)' },
  { code: 'vi-VN', name: 'Vietnamese (Vietnam)' },
  { code: 'fil-PH', name: 'Filipino (Philippines)' },
  { code: 'ja-JP', name: 'Japanese (Japan)' },
  { code: 'ko-KR', name: 'Korean (South Korea)' },
  { code: 'zh-CN', name: 'Chinese, Mandarin (China)' },
  { code: 'zh-TW', name: 'Chinese, Mandarin (Taiwan)' },
  { code: 'zh-HK', name: 'Chinese, Cantonese (Hong Kong)' },
];

/** The IANA time zones of this runtime (`Intl.supportedValuesOf`), with UTC, sorted. */
export function ianaTimeZones(): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  return [...zones].sort();
}

const optionSchema = z.object({ id: z.string(), label: z.string() });

export const agentOptionsSchema = z.object({
  providers: z.array(
    z.object({
      id: z.enum(PROVIDERS),
      label: z.string(),
      defaultModel: z.string(),
      defaultVoice: z.string(),
      models: z.array(optionSchema),
      voices: z.array(optionSchema),
    }),
  ),
  languages: z.array(z.object({ code: z.string(), name: z.string() })),
  timezones: z.array(z.string()),
});
export type AgentOptions = z.infer<typeof agentOptionsSchema>;

/** What `GET /api/agent-options` answers. */
export function agentOptions(): AgentOptions {
  return {
    providers: PROVIDERS.map((id) => {
      const facts = PROVIDER_FACTS[id];
      return {
        id,
        label: facts.label,
        defaultModel: facts.defaultModel,
        defaultVoice: facts.defaultVoice,
        models: REALTIME_MODELS[id].map((m) => ({ ...m })),
        voices: facts.voices.map((v) => ({ id: v, label: VOICE_NOTES[v] ? `${v} — ${VOICE_NOTES[v]}` : v })),
      };
    }),
    languages: LANGUAGES.map((l) => ({ ...l })),
    timezones: ianaTimeZones(),
  };
}
