/**
 * Cost of a call in USD, honestly split (docs/post-call.md "Cost"): the model part is the voice
 * model's usage (call-record/pricing.ts) plus the post-call analysis' text model usage
 * (TEXT_PRICES below); the telephony part is the call's started minutes × the configured
 * per-minute rate of its direction. Browser test calls have no telephony cost.
 */
import type { CallCost } from '@switchboard/shared';
import type { TextUsage } from '@switchboard/voice';
import type { Config } from '../config.ts';
import type { CallRow } from '../mappers/calls.ts';

/** USD per million tokens (input, cached input, output), list prices at the time of writing. */
export const TEXT_PRICES: Array<{ match: RegExp; input: number; cachedInput: number; output: number }> = [
  { match: /^gpt-4\.1-nano/, input: 0.1, cachedInput: 0.025, output: 0.4 },
  { match: /^gpt-4\.1-mini/, input: 0.4, cachedInput: 0.1, output: 1.6 },
  { match: /^gpt-4\.1/, input: 2, cachedInput: 0.5, output: 8 },
  { match: /^gpt-4o-mini/, input: 0.15, cachedInput: 0.075, output: 0.6 },
  { match: /^gpt-4o/, input: 2.5, cachedInput: 1.25, output: 10 },
  { match: /^gemini-2\.5-flash-lite/, input: 0.1, cachedInput: 0.025, output: 0.4 },
  { match: /^gemini-2\.5-flash/, input: 0.3, cachedInput: 0.075, output: 2.5 },
  { match: /^gemini-2\.5-pro/, input: 1.25, cachedInput: 0.31, output: 10 },
];

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** Estimated cost of one text model request; 0 for a model not in the table. */
export function textCostUsd(model: string, usage: TextUsage): number {
  const price = TEXT_PRICES.find((p) => p.match.test(model));
  if (!price) return 0;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const cost =
    (usage.inputTokens - cached) * price.input +
    cached * price.cachedInput +
    usage.outputTokens * price.output;
  return round6(cost / 1_000_000);
}

/** Telephony: started minutes (as carriers bill) × the direction's rate; 0 for browser calls. */
export function telephonyCostUsd(
  call: Pick<CallRow, 'direction' | 'durationS' | 'answeredAt'>,
  rates: Config['telephonyRates'],
): number {
  if (call.direction === 'web' || !call.answeredAt || !call.durationS) return 0;
  const minutes = Math.ceil(call.durationS / 60);
  const rate = call.direction === 'outbound' ? rates.outboundPerMin : rates.inboundPerMin;
  return round6(minutes * rate);
}

/**
 * The call's cost: the voice model's estimate (`cost_usd`, written by the recorder) plus the
 * post-call analysis' (`usage.analysisCostUsd`), and telephony.
 */
export function callCost(
  call: Pick<CallRow, 'direction' | 'durationS' | 'answeredAt' | 'costUsd' | 'usage'>,
  rates: Config['telephonyRates'],
): CallCost {
  const analysis = call.usage?.analysisCostUsd;
  const model = round6(
    (call.costUsd === null ? 0 : Number(call.costUsd)) + (typeof analysis === 'number' ? analysis : 0),
  );
  const telephony = telephonyCostUsd(call, rates);
  return { model, telephony, total: round6(model + telephony) };
}
