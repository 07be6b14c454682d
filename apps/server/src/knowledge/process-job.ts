/**
 * Knowledge document processing as a durable job (docs/jobs.md): one job per document
 * (`exclusive` by document id), run by every server process's worker one at a time, retried
 * when the process dies mid-way (the job expires and another process takes it). The upload
 * route sends it; at start, documents still waiting (a send lost to a crash) get one.
 */
import { knowledgeDocuments } from '@switchboard/db';
import { and, eq, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineJob } from '../jobs/define.ts';
import { processKnowledgeDocument } from '../services/process-knowledge-document.ts';

export const processKnowledgeJob = defineJob({
  name: 'knowledge.process',
  data: z.object({ documentId: z.uuid() }),
  retryLimit: 2,
  retryDelaySeconds: 15,
  // Extraction stops itself at 120 s; embeddings and indexing of a large document take longer.
  expireInSeconds: 600,
  policy: 'exclusive',
});

/** Queues a stored document for processing (at most one job per document). */
export async function queueKnowledgeDocument(
  ctx: Pick<AppContext, 'jobs'>,
  documentId: string,
): Promise<void> {
  await ctx.jobs.send(processKnowledgeJob, { documentId }, { singletonKey: documentId });
}

/** Registers the worker and queues every document left waiting. */
export async function startKnowledgeWorker(ctx: AppContext): Promise<void> {
  await ctx.jobs.work(processKnowledgeJob, { concurrency: 1 }, async (job) => {
    const status = await processKnowledgeDocument(ctx, job.data.documentId, { signal: job.signal });
    return { status };
  });
  const waiting = await ctx.db
    .select({ id: knowledgeDocuments.id })
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.status, 'processing'), isNotNull(knowledgeDocuments.content)));
  for (const { id } of waiting) await queueKnowledgeDocument(ctx, id);
}
