/**
 * Post-call analysis as a durable job (docs/post-call.md): `call.analysis` is queued when an
 * answered call becomes final (start-post-call.ts), once per call. It reads the transcript and
 * the tool results, asks the organization's text model for summary, disposition and the agent's
 * extraction fields (JSON schema output, validated with zod), and writes them on the call with
 * `analysisStatus: done`. A failed attempt records why (`analysisError`) and is retried with
 * backoff; after the last one, or at once when retrying cannot help (no model key, a refused
 * key), the call says `failed` with the reason. The transcript is never touched.
 */
import { callEvents, transcriptSegments } from '@switchboard/db';
import { TextModelError } from '@switchboard/voice';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { loadCall, updateCall } from '../call-record/update-call.ts';
import { loadAgent } from '../calls/call-context.ts';
import type { AppContext } from '../context.ts';
import { defineJob } from '../jobs/define.ts';
import { type JobRun, PermanentJobError } from '../jobs/run-job.ts';
import { toAgentJson } from '../mappers/agents.ts';
import { resolveTextModel } from '../text/resolve-text-model.ts';
import { ANALYSIS_INSTRUCTIONS, analysisOutput, analysisPrompt } from './analysis-output.ts';
import { callCost, textCostUsd } from './cost.ts';
import { factDisposition } from './disposition.ts';
import { callFinished } from './finish.ts';

export const callAnalysisJob = defineJob({
  name: 'call.analysis',
  data: z.object({ organizationId: z.uuid(), callId: z.uuid() }),
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  retryDelayMaxSeconds: 600,
  expireInSeconds: 180,
  policy: 'exclusive',
});

export type AnalysisDeps = Pick<AppContext, 'db' | 'live' | 'clock' | 'config' | 'secrets' | 'log' | 'jobs'>;
type Job = Pick<JobRun<z.output<typeof callAnalysisJob.data>>, 'data' | 'lastAttempt' | 'signal'>;

/** Runs one attempt; throws to have the queue retry it. */
export async function analyzeCall(deps: AnalysisDeps, job: Job): Promise<void> {
  const key = { id: job.data.callId, organizationId: job.data.organizationId };
  const call = await loadCall(deps.db, key);
  if (!call) throw new PermanentJobError('the call is gone');
  if (call.analysisStatus === 'done') return;
  const agent = await loadAgent(deps.db, call);
  const postCall = agent ? toAgentJson(agent).postCall : { summary: true, extraction: [] };
  const [transcript, events] = await Promise.all([
    deps.db
      .select()
      .from(transcriptSegments)
      .where(
        and(
          eq(transcriptSegments.organizationId, call.organizationId),
          eq(transcriptSegments.callId, call.id),
        ),
      )
      .orderBy(asc(transcriptSegments.id)),
    deps.db
      .select()
      .from(callEvents)
      .where(and(eq(callEvents.organizationId, call.organizationId), eq(callEvents.callId, call.id)))
      .orderBy(asc(callEvents.id)),
  ]);
  try {
    const text = await resolveTextModel(deps, call.organizationId, { client: { timeoutMs: 60_000 } });
    if (!text) throw new PermanentJobError('no text model key (OpenAI or Gemini) is configured');
    const output = analysisOutput(postCall.extraction);
    const reply = await text.model.complete({
      model: text.modelName,
      instructions: ANALYSIS_INSTRUCTIONS,
      messages: [{ role: 'user', text: analysisPrompt(transcript, events) }],
      output: output.output,
      maxOutputTokens: 1_500,
      temperature: 0.2,
      signal: job.signal,
    });
    const result = output.parse(reply.text);
    const analysisCostUsd = textCostUsd(text.modelName, reply.usage);
    const usage = { ...call.usage, analysisCostUsd };
    const facts = factDisposition(call, events);
    const row = await updateCall(deps, call, {
      summary: postCall.summary ? result.summary.trim() : call.summary,
      disposition: facts ?? result.disposition,
      extraction: postCall.extraction.length ? result.extraction : null,
      analysisStatus: 'done',
      analysisError: null,
      usage,
      cost: callCost({ ...call, usage }, deps.config.telephonyRates),
    });
    if (row) await callFinished(deps, row);
  } catch (error) {
    const permanent =
      error instanceof PermanentJobError ||
      (error instanceof TextModelError && !error.retryable && error.code !== 'invalid_output');
    const reason = describe(error);
    const final = permanent || job.lastAttempt;
    const row = await updateCall(deps, call, {
      analysisStatus: final ? 'failed' : 'pending',
      analysisError: reason,
      // The facts still decide what they can when the model cannot.
      ...(final ? { disposition: factDisposition(call, events) ?? call.disposition } : {}),
    });
    if (final && row) await callFinished(deps, row);
    if (permanent && !(error instanceof PermanentJobError)) throw new PermanentJobError(reason);
    throw error;
  }
}

/** A reason fit for the dashboard and the log: never the transcript, never a key. */
function describe(error: unknown): string {
  if (error instanceof TextModelError) return `${error.code}: ${error.message}`.slice(0, 500);
  if (error instanceof Error) return error.message.slice(0, 500);
  return 'analysis failed';
}
