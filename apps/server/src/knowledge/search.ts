/**
 * Retrieval over one agent's passages. Full-text search always: the query's words (stemmed with
 * the agent language's configuration, stop words dropped) are matched — passages with two of
 * them first, any of them when those are too few — so a spoken question finds passages that
 * share its important words, ranked by `ts_rank` (document titles weigh more).
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
/** Query terms used (a spoken question rarely has more that matter). */
const MAX_TERMS = 12;

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
  const terms = await queryTerms(db, input);
  if (terms.length === 0) return [];
  const any = anyTerm(terms);
  // Most questions share several words with the passage that answers them. Passages with at
  // least two of the query's words are far fewer than those with one, so they are ranked first
  // and the broad match runs only when they are too few.
  if (terms.length >= 3) {
    const strict = rows<Row>(await db.execute(fullTextQuery(input, twoTerms(terms), any))).map(toPassage);
    if (strict.length >= input.limit) return strict;
  }
  return rows<Row>(await db.execute(fullTextQuery(input, any, any))).map(toPassage);
}

/** The query's search terms: its words stemmed by the text search configuration, stop words dropped. */
export async function queryTerms(
  db: DbOrTx,
  input: Pick<SearchInput, 'config' | 'query'>,
): Promise<string[]> {
  const result = await db.execute(
    sql`select tsvector_to_array(to_tsvector(${input.config}::regconfig, ${input.query})) as terms`,
  );
  const terms = rows<{ terms: string[] | string | null }>(result)[0]?.terms ?? [];
  return (Array.isArray(terms) ? terms : []).slice(0, MAX_TERMS);
}

/** A term in tsquery syntax: quoted, so it is matched as is (already stemmed). */
const quoted = (term: string) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
export const anyTerm = (terms: string[]) => terms.map(quoted).join(' | ');
function twoTerms(terms: string[]): string {
  const pairs: string[] = [];
  for (let i = 0; i < terms.length; i++) {
    for (let j = i + 1; j < terms.length; j++) pairs.push(`(${quoted(terms[i]!)} & ${quoted(terms[j]!)})`);
  }
  return pairs.join(' | ');
}

/**
 * Passages matching `match` (tsquery text), ranked by `rank` (exported for the benchmark's
 * EXPLAIN ANALYZE).
 */
export function fullTextQuery(
  input: Pick<SearchInput, 'organizationId' | 'agentId'>,
  match: string,
  rank: string,
) {
  return sql`
    select c.id, c.document_id, d.title, c.content, ts_rank(c.tsv, ${rank}::tsquery) as score
    from knowledge_chunks c
      join knowledge_documents d on d.id = c.document_id
    where c.organization_id = ${input.organizationId}
      and c.agent_id = ${input.agentId}
      and d.status = 'ready'
      and c.tsv @@ ${match}::tsquery
    order by score desc, c.id
    limit ${CANDIDATES}`;
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
