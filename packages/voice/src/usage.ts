import type { ModelUsage } from './realtime/types.ts';

export function emptyUsage(): ModelUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    inputAudioTokens: 0,
    inputTextTokens: 0,
    cachedInputTokens: 0,
    outputAudioTokens: 0,
    outputTextTokens: 0,
  };
}

/** Adds `b` into `a` (mutates and returns `a`). */
export function addUsage(a: ModelUsage, b: ModelUsage): ModelUsage {
  for (const key of Object.keys(a) as Array<keyof ModelUsage>) a[key] += b[key];
  return a;
}
