/**
 * The last step after a call: everything known about it is written (analysis done or failed, or
 * none was due), so customer webhooks hear `call.ended` with summary, disposition, extraction,
 * recording URL and cost.
 */
import type { DbOrTx } from '@switchboard/db';
import { applyAnalysedOutcome } from '../campaigns/after-analysis.ts';
import type { AppContext } from '../context.ts';
import { type CallRow, toCallJson } from '../mappers/calls.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';

export type FinishDeps = Pick<AppContext, 'log' | 'clock' | 'jobs'> & { db: DbOrTx };

export async function callFinished(deps: FinishDeps, call: CallRow): Promise<void> {
  try {
    await applyAnalysedOutcome(deps.db, call);
  } catch (error) {
    deps.log.error({ err: error, callId: call.id }, 'campaign outcome could not be updated');
  }
  await emitWebhookEvent(deps, call.organizationId, 'call.ended', { call: toCallJson(call) });
}
