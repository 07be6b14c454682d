import type { KnowledgeSearchResponse } from '@switchboard/shared';
import type { AppContext } from '../context.ts';
import { embedderFor } from '../knowledge/embeddings.ts';
import { searchPassages } from '../knowledge/search.ts';
import { textSearchConfig } from '../knowledge/text-search.ts';
import { vectorSupport } from '../knowledge/vector-cache.ts';
import { getAgent } from './get-agent.ts';

/** Longest a query's embedding may take before search goes on with full-text alone. */
export const QUERY_EMBEDDING_TIMEOUT_MS = 1500;

export type SearchDeps = Pick<AppContext, 'db' | 'log' | 'config' | 'secrets'>;

/**
 * The passages an agent would retrieve for `query`: hybrid when embeddings are configured and
 * pgvector is installed, full-text otherwise (also when the embeddings endpoint is slow or
 * failing for this query).
 */
export async function searchKnowledge(
  deps: SearchDeps,
  input: { organizationId: string; agentId: string; query: string; limit: number; signal?: AbortSignal },
): Promise<KnowledgeSearchResponse> {
  const startedAt = performance.now();
  const agent = await getAgent(deps, { organizationId: input.organizationId, id: input.agentId });
  const vector = await queryVector(deps, input);
  const passages = await searchPassages(deps.db, {
    organizationId: input.organizationId,
    agentId: agent.id,
    query: input.query,
    config: textSearchConfig(agent.language),
    limit: input.limit,
    vector,
  });
  return {
    query: input.query,
    retrieval: vector ? 'hybrid' : 'fulltext',
    passages: passages.map((p) => ({
      documentId: p.documentId,
      title: p.title,
      text: p.text,
      score: p.score,
    })),
    tookMs: Math.round((performance.now() - startedAt) * 10) / 10,
  };
}

async function queryVector(
  deps: SearchDeps,
  input: { organizationId: string; query: string; signal?: AbortSignal },
): Promise<{ values: number[]; model: string } | undefined> {
  if (!deps.config.knowledge.embeddingsModel || !(await vectorSupport(deps.db)).available) return undefined;
  const { embedder } = await embedderFor(deps, input.organizationId);
  if (!embedder) return undefined;
  try {
    const [values] = await embedder.embed([input.query], {
      timeoutMs: QUERY_EMBEDDING_TIMEOUT_MS,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return values ? { values, model: embedder.model } : undefined;
  } catch (error) {
    deps.log.warn({ err: error }, 'query embedding failed; searching full-text only');
    return undefined;
  }
}
