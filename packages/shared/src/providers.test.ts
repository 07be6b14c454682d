import { describe, expect, it } from 'vitest';
import { DEFAULT_TUNING } from './agents.ts';
import {
  DEFAULT_MODELS,
  DEFAULT_VOICES,
  PROVIDER_FACTS,
  PROVIDERS,
  providersWithVad,
  VOICES,
} from './providers.ts';

describe('provider facts', () => {
  it.each(PROVIDERS)(
    '%s: the default voice is one of its voices, the default turn detection offered',
    (p) => {
      const facts = PROVIDER_FACTS[p];
      expect(facts.voices).toContain(facts.defaultVoice);
      expect(facts.vadTypes[0]).toBe(DEFAULT_TUNING.vadType);
    },
  );

  it('derives the per-provider views from the one table', () => {
    expect({ DEFAULT_MODELS, DEFAULT_VOICES, geminiVoices: VOICES.gemini }).toEqual({
      DEFAULT_MODELS: { openai: 'gpt-realtime', gemini: 'gemini-live-2.5-flash-preview' },
      DEFAULT_VOICES: { openai: 'marin', gemini: 'Puck' },
      geminiVoices: PROVIDER_FACTS.gemini.voices,
    });
    expect([providersWithVad('semantic_vad'), providersWithVad('server_vad')]).toEqual([
      ['openai'],
      ['openai', 'gemini'],
    ]);
  });
});
