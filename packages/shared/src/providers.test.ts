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
  it('gives every provider a default voice among its voices and the default turn detection', () => {
    for (const provider of PROVIDERS) {
      const facts = PROVIDER_FACTS[provider];
      expect(facts.voices).toContain(facts.defaultVoice);
      expect(facts.vadTypes[0]).toBe(DEFAULT_TUNING.vadType);
    }
  });

  it('derives the per-provider views from the one table', () => {
    expect(DEFAULT_MODELS).toEqual({ openai: 'gpt-realtime', gemini: 'gemini-live-2.5-flash-preview' });
    expect(DEFAULT_VOICES).toEqual({ openai: 'marin', gemini: 'Puck' });
    expect(VOICES.gemini).toBe(PROVIDER_FACTS.gemini.voices);
    expect(providersWithVad('semantic_vad')).toEqual(['openai']);
    expect(providersWithVad('server_vad')).toEqual(['openai', 'gemini']);
  });
});
