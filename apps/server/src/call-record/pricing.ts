/**
 * Estimated model cost of a call from its token usage (USD per million tokens, list prices at
 * the time of writing; cached input is billed at the cached rate). The figure is an estimate
 * shown so cost per call is never opaque; the provider's invoice is the authority.
 */
import type { ModelUsage } from '@switchboard/voice';

interface Price {
  audioIn: number;
  cachedIn: number;
  audioOut: number;
  textIn: number;
  textOut: number;
}

const PRICES: Array<{ match: RegExp; price: Price }> = [
  { match: /mini/, price: { audioIn: 10, cachedIn: 0.3, audioOut: 20, textIn: 0.6, textOut: 2.4 } },
  { match: /^gpt-|realtime/, price: { audioIn: 32, cachedIn: 0.4, audioOut: 64, textIn: 4, textOut: 16 } },
  { match: /gemini/, price: { audioIn: 3, cachedIn: 0.75, audioOut: 12, textIn: 0.5, textOut: 2 } },
];

export function estimateCostUsd(model: string, usage: ModelUsage): number {
  const price = PRICES.find((p) => p.match.test(model))?.price;
  if (!price) return 0;
  const cached = Math.min(usage.cachedInputTokens, usage.inputAudioTokens + usage.inputTextTokens);
  const audioIn = Math.max(0, usage.inputAudioTokens - cached);
  const cost =
    audioIn * price.audioIn +
    cached * price.cachedIn +
    usage.inputTextTokens * price.textIn +
    usage.outputAudioTokens * price.audioOut +
    usage.outputTextTokens * price.textOut;
  return Math.round((cost / 1_000_000) * 1e6) / 1e6;
}
