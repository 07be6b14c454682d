import { agents, knowledgeChunks, knowledgeDocuments } from '@switchboard/db';
import { and, count, eq, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { chunkText } from '../knowledge/chunk.ts';
import { EMBEDDING_BATCH, type Embedder, embedderFor, vectorLiteral } from '../knowledge/embeddings.ts';
import { ExtractionError, extractText } from '../knowledge/extract.ts';
import { textSearchConfig } from '../knowledge/text-search.ts';
import { vectorSupport } from '../knowledge/vector-cache.ts';

/** Most passages one agent's knowledge base holds (all documents together). */
export const MAX_CHUNKS_PER_AGENT = 100_000;
/** Passages written per INSERT. */
const INSERT_BATCH = 500;
/** Progress is written at most this often. */
const PROGRESS_INTERVAL_MS = 500;

export type ProcessDeps = Pick<AppContext, 'db' | 'log' | 'clock' | 'config' | 'secrets'>;

/**
 * Turns a stored upload into passages: text extraction in a worker thread (0–60 %), chunking,
 * embeddings when configured (60–95 %), then one transaction that replaces the document's
 * passages and marks it `ready`. Any failure marks the document `failed` with a message the
 * user can act on; other documents and calls are untouched. The upload bytes are dropped
 * either way. Returns the final status, or null when the document is gone or already done.
 */
export async function processKnowledgeDocument(
  deps: ProcessDeps,
  documentId: string,
  options: { signal?: AbortSignal } = {},
): Promise<'ready' | 'failed' | null> {
  const [doc] = await deps.db
    .select()
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.id, documentId), eq(knowledgeDocuments.status, 'processing')))
    .limit(1);
  if (!doc?.content) return null;
  const [agent] = await deps.db
    .select({ language: agents.language })
    .from(agents)
    .where(eq(agents.id, doc.agentId));
  const config = textSearchConfig(agent?.language ?? 'en');

  let lastWrite = 0;
  const progress = async (percent: number) => {
    const now = Date.now();
    if (now - lastWrite < PROGRESS_INTERVAL_MS) return;
    lastWrite = now;
    await deps.db
      .update(knowledgeDocuments)
      .set({ progress: Math.min(99, Math.round(percent)) })
      .where(eq(knowledgeDocuments.id, doc.id));
  };

  try {
    const text = await extractText(doc.content, doc.mimeType, {
      onProgress: (done, total) => void progress((done / total) * 60).catch(() => {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const chunks = chunkText(text);
    await assertRoom(deps, doc, chunks.length);
    await progress(60);
    const { vectors, note } = await embed(deps, doc.organizationId, chunks, progress, options.signal);

    await deps.db.transaction(async (tx) => {
      await tx.delete(knowledgeChunks).where(eq(knowledgeChunks.documentId, doc.id));
      for (let start = 0; start < chunks.length; start += INSERT_BATCH) {
        const batch = chunks.slice(start, start + INSERT_BATCH);
        const inserted = await tx
          .insert(knowledgeChunks)
          .values(
            batch.map((content, i) => ({
              organizationId: doc.organizationId,
              agentId: doc.agentId,
              documentId: doc.id,
              ordinal: start + i,
              content,
              tsv: sql`setweight(to_tsvector(${config}::regconfig, ${doc.title}), 'A') || to_tsvector(${config}::regconfig, ${content})`,
            })),
          )
          .returning({ id: knowledgeChunks.id, ordinal: knowledgeChunks.ordinal });
        if (vectors) {
          const values = inserted.map(
            (row) => sql`(${row.id}::bigint, ${vectorLiteral(vectors.values[row.ordinal]!)}::vector)`,
          );
          await tx.execute(sql`
            update knowledge_chunks c set embedding = u.e, embedding_model = ${vectors.model}
            from (values ${sql.join(values, sql`, `)}) as u(id, e)
            where c.id = u.id`);
        }
      }
      await tx
        .update(knowledgeDocuments)
        .set({
          status: 'ready',
          chunks: chunks.length,
          progress: 100,
          error: note,
          content: null,
          updatedAt: deps.clock(),
        })
        .where(eq(knowledgeDocuments.id, doc.id));
    });
    return 'ready';
  } catch (error) {
    const known = error instanceof ExtractionError;
    if (!known) deps.log.error({ err: error, documentId: doc.id }, 'knowledge document processing failed');
    const message = known ? error.message : 'The document could not be processed. Try uploading it again.';
    await deps.db
      .update(knowledgeDocuments)
      .set({ status: 'failed', error: message, progress: 0, content: null, updatedAt: deps.clock() })
      .where(eq(knowledgeDocuments.id, doc.id));
    return 'failed';
  }
}

async function assertRoom(
  deps: ProcessDeps,
  doc: { id: string; agentId: string },
  adding: number,
): Promise<void> {
  const [held] = await deps.db
    .select({ n: count() })
    .from(knowledgeChunks)
    .where(and(eq(knowledgeChunks.agentId, doc.agentId), ne(knowledgeChunks.documentId, doc.id)));
  const total = (held?.n ?? 0) + adding;
  if (total > MAX_CHUNKS_PER_AGENT) {
    throw new ExtractionError(
      'too_large',
      `This document adds ${adding.toLocaleString('en-US')} passages; the agent's knowledge base holds at most ${MAX_CHUNKS_PER_AGENT.toLocaleString('en-US')}. Delete other documents first.`,
    );
  }
}

/** Embeddings for every passage, or null with a note when vector search is not in use or failed. */
async function embed(
  deps: ProcessDeps,
  organizationId: string,
  chunks: string[],
  progress: (percent: number) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<{ vectors: { model: string; values: number[][] } | null; note: string | null }> {
  if (!(await vectorSupport(deps.db)).available) return { vectors: null, note: null };
  const choice = await embedderFor(deps, organizationId);
  if (!choice.embedder) return { vectors: null, note: null };
  const embedder: Embedder = choice.embedder;
  try {
    const values: number[][] = [];
    for (let start = 0; start < chunks.length; start += EMBEDDING_BATCH) {
      values.push(
        ...(await embedder.embed(chunks.slice(start, start + EMBEDDING_BATCH), signal ? { signal } : {})),
      );
      await progress(60 + (35 * values.length) / chunks.length);
    }
    return { vectors: { model: embedder.model, values }, note: null };
  } catch (error) {
    deps.log.warn(
      { err: error },
      'knowledge embeddings failed; the document is indexed for full-text search only',
    );
    return {
      vectors: null,
      note: `Indexed for full-text search only: the embeddings endpoint failed (${(error as Error).message}).`,
    };
  }
}
