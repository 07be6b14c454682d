/**
 * What happens when a call becomes final (called by call-record/end-call.ts): its cost is
 * written; an answered call whose agent wants analysis gets `analysisStatus: pending` and a
 * `call.analysis` job (queued in the same transaction as the status, once per call); any other
 * call gets the disposition its facts decide and is finished at once (docs/post-call.md).
 */
import { callEvents, type DbOrTx } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { updateCall } from '../call-record/update-call.ts';
import { loadAgent } from '../calls/call-context.ts';
import type { AppContext } from '../context.ts';
import { toAgentJson } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';
import { callAnalysisJob } from './analysis-job.ts';
import { callCost } from './cost.ts';
import { factDisposition, isCallDisposition } from './disposition.ts';
import { callFinished } from './finish.ts';

export type PostCallDeps = Pick<AppContext, 'live' | 'clock' | 'config' | 'log' | 'jobs'> & { db: DbOrTx };

export async function startPostCall(deps: PostCallDeps, call: CallRow): Promise<void> {
  const cost = callCost(call, deps.config.telephonyRates);
  if (call.answeredAt && call.analysisStatus === null && (await wantsAnalysis(deps, call))) {
    await deps.db.transaction(async (tx) => {
      await updateCall({ ...deps, db: tx }, call, { cost, analysisStatus: 'pending' });
      await deps.jobs.send(
        callAnalysisJob,
        { organizationId: call.organizationId, callId: call.id },
        { tx, singletonKey: call.id },
      );
    });
    return;
  }
  const events = await deps.db
    .select({ type: callEvents.type, data: callEvents.data })
    .from(callEvents)
    .where(and(eq(callEvents.organizationId, call.organizationId), eq(callEvents.callId, call.id)));
  const facts = factDisposition(call, events);
  const disposition =
    facts ??
    (isCallDisposition(call.disposition) ? call.disposition : call.answeredAt ? 'other' : 'no_answer');
  const row = await updateCall(deps, call, { cost, disposition });
  if (row && call.analysisStatus === null) await callFinished(deps, row);
}

async function wantsAnalysis(deps: PostCallDeps, call: CallRow): Promise<boolean> {
  const agent = await loadAgent(deps.db, call);
  if (!agent) return true;
  const { postCall } = toAgentJson(agent);
  return postCall.summary || postCall.extraction.length > 0;
}
