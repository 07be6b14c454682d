/**
 * Retrieval over one agent's passages. Full-text search always: the query's words (stemmed with
 * the agent language's configuration, stop words dropped) are OR-ed, so a spoken question finds
 * passages that share its important words, ranked by `ts_rank` (document titles weigh more).
 * With an embedding of the query, the nearest passages by cosine distance are fused with the
 * full-text ranking (reciprocal rank fusion).
 */
import type { DbOrTx } from '@switchboard/db';
import { sql } from 'drizzle-orm';
import { vectorLiteral } from './embeddings.ts';
import { rows } from './vector-support.ts';

/** Candidates each method contributes before fusion. */
const CANDIDATES = 20;
/** Reciprocal rank fusion constant (the usual 60). */
const RRF_K = 60;

export interface Passage {
  chunkId: number;
  documentId: string;
  title: string;
  text: string;
  score: number;
}

export interface SearchInput {
  organizationId: string;
  agentId: string;
  query: string;
  /** Text search configuration (text-search.ts). */
  config: string;
  limit: number;
  /** The query's embedding and the model that made it (hybrid search). */
  vector?: { values: number[]; model: string } | undefined;
}

type Row = {
  id: number | string;
  document_id: string;
  title: string;
  content: string;
  score: number | string;
};

export async function searchPassages(db: DbOrTx, input: SearchInput): Promise<Passage[]> {
  const fulltext = await fullTextCandidates(db, input);
  if (!input.vector) return fulltext.slice(0, input.limit);
  const nearest = await vectorCandidates(db, input, input.vector);
  return fuse([fulltext, nearest]).slice(0, input.limit);
}

async function fullTextCandidates(db: DbOrTx, input: SearchInput): Promise<Passage[]> {
  const result = await db.execute(fullTextQuery(input));
  return rows<Row>(result).map(toPassage);
}

/**
 * The full-text candidates (exported for the benchmark's EXPLAIN ANALYZE). `plainto_tsquery`
 * ANDs the query's words; its text form is re-read with OR between them. Passages exist only
 * for `ready` documents (they are written in the transaction that marks the document ready),
 * so ranking reads passages alone and titles are joined for the best few.
 */
export function fullTextQuery(input: Pick<SearchInput, 'organizationId' | 'agentId' | 'config' | 'query'>) {
  return sql`
    with q as (
      select replace(plainto_tsquery(${input.config}::regconfig, ${input.query})::text, ' & ', ' | ')::tsquery as query
    ), best as (
      select c.id, c.document_id, c.content, ts_rank(c.tsv, q.query) as score
      from knowledge_chunks c, q
      where c.organization_id = ${input.organizationId}
        and c.agent_id = ${input.agentId}
        and c.tsv @@ q.query
      order by score desc, c.id
      limit ${CANDIDATES}
    )
    select best.id, best.document_id, d.title, best.content, best.score
    from best join knowledge_documents d on d.id = best.document_id
    order by best.score desc, best.id`;
}

async function vectorCandidates(
  db: DbOrTx,
  input: SearchInput,
  vector: { values: number[]; model: string },
): Promise<Passage[]> {
  const literal = vectorLiteral(vector.values);
  const result = await db.execute<Row>(sql`
    select c.id, c.document_id, d.title, c.content, 1 - (c.embedding <=> ${literal}::vector) as score
    from knowledge_chunks c
      join knowledge_documents d on d.id = c.document_id
    where c.organization_id = ${input.organizationId}
      and c.agent_id = ${input.agentId}
      and d.status = 'ready'
      and c.embedding_model = ${vector.model}
      and vector_dims(c.embedding) = ${vector.values.length}
    order by c.embedding <=> ${literal}::vector, c.id
    limit ${CANDIDATES}`);
  return rows<Row>(result).map(toPassage);
}

function toPassage(row: Row): Passage {
  return {
    chunkId: Number(row.id),
    documentId: row.document_id,
    title: row.title,
    text: row.content,
    score: Number(row.score),
  };
}

/** Reciprocal rank fusion: each list adds 1/(k + rank) to a passage's score. */
export function fuse(lists: Passage[][]): Passage[] {
  const fused = new Map<number, Passage>();
  for (const list of lists) {
    list.forEach((passage, rank) => {
      const score = 1 / (RRF_K + rank + 1);
      const seen = fused.get(passage.chunkId);
      if (seen) seen.score += score;
      else fused.set(passage.chunkId, { ...passage, score });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.chunkId - b.chunkId);
}
