/**
 * The compliance decision made before every dial, in a fixed order; the first rule that applies
 * decides, and the decision with its rule goes to the ledger. `skip` ends the prospect's sequence,
 * `defer` waits (outside the window, a live call to the number, no calls left today).
 */

export type ComplianceDecision = 'dial' | 'skip' | 'defer';
export type ComplianceRule =
  | 'allowed'
  | 'do_not_call_list'
  | 'prospect_do_not_call'
  | 'max_attempts'
  | 'live_call_to_number'
  | 'outside_window';

export interface ComplianceInput {
  onDoNotCallList: boolean;
  prospectStatus: string;
  attempts: number;
  maxAttempts: number;
  liveCallToNumber: boolean;
  inWindow: boolean;
}

export function decide(input: ComplianceInput): { decision: ComplianceDecision; rule: ComplianceRule } {
  if (input.onDoNotCallList) return { decision: 'skip', rule: 'do_not_call_list' };
  if (input.prospectStatus === 'do_not_call') return { decision: 'skip', rule: 'prospect_do_not_call' };
  if (input.attempts >= input.maxAttempts) return { decision: 'skip', rule: 'max_attempts' };
  if (!input.inWindow) return { decision: 'defer', rule: 'outside_window' };
  if (input.liveCallToNumber) return { decision: 'defer', rule: 'live_call_to_number' };
  return { decision: 'dial', rule: 'allowed' };
}
