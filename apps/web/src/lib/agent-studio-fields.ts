/** The agent studio's field bookkeeping: which fields it shows, and where server messages go. */
import type { FieldErrors } from './error-details.ts';

/** Fields the form shows, so server messages for anything else are listed in the summary. */
export const SHOWN_FIELDS = [
  'name',
  'isDefault',
  'isDefaultOutbound',
  'provider',
  'model',
  'voice',
  'language',
  'timezone',
  'instructions',
  'greeting',
  'companyBrief',
  'tools',
  'transferNumber',
  'transferMode',
  'voicemailMessage',
  'tuning',
  'dtmfActions',
  'postCall',
  'callerContext',
  'smsRecipients',
];

/** The first server message about `postCall` or one of its fields (`postCall.extraction.0.name: …`). */
export function postCallError(errors: FieldErrors): string | undefined {
  const found = Object.entries(errors).find(([k]) => k === 'postCall' || k.startsWith('postCall.'));
  if (!found) return undefined;
  const where = found[0].replace(/^postCall\.?/, '');
  return where ? `${where}: ${found[1]}` : found[1];
}
