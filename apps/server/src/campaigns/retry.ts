/** What happens to a prospect after a call's outcome: done, or another attempt after a delay inside the window. */
import type { CallDisposition, CampaignRetry, CampaignSchedule, RetryOutcome } from '@switchboard/shared';
import { nextWindowStart } from './schedule.ts';

export function retryKey(disposition: CallDisposition): RetryOutcome | null {
  switch (disposition) {
    case 'no_answer':
      return 'no_answer';
    case 'busy':
      return 'busy';
    case 'voicemail_left':
      return 'voicemail';
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}

export interface RetryPolicy {
  schedule: CampaignSchedule;
  retry: CampaignRetry;
  stopOn: readonly string[];
}

export type NextStep = { state: 'done'; reason: string } | { state: 'scheduled'; nextAttemptAt: Date };

export function nextStep(
  policy: RetryPolicy,
  outcome: { disposition: CallDisposition; attempts: number; now: Date; timeZone: string },
): NextStep {
  if (policy.stopOn.includes(outcome.disposition)) return { state: 'done', reason: 'stop_on' };
  const key = retryKey(outcome.disposition);
  if (!key) return { state: 'done', reason: 'final_outcome' };
  if (outcome.attempts >= policy.retry.maxAttempts) return { state: 'done', reason: 'max_attempts' };
  const earliest = new Date(outcome.now.getTime() + policy.retry.delayS[key] * 1000);
  const at = nextWindowStart(policy.schedule, earliest, outcome.timeZone);
  if (!at) return { state: 'done', reason: 'no_window' };
  return { state: 'scheduled', nextAttemptAt: at };
}
