/**
 * Knowledge retrieval micro-benchmark: one agent with N documents (1,000 by default) processed
 * by the product's own pipeline into passages, then Q searches through the service behind the
 * search_knowledge tool (agent lookup + full-text query), timed one after another. Target:
 * p99 ≤ 50 ms, so a caller hears no gap while the agent looks something up.
 */
import { knowledgeChunks, organizations } from '@switchboard/db';
import { createTestDatabase, type TestDbKind } from '@switchboard/db/testing';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { parseConfig } from '../apps/server/src/config.ts';
import { createContext } from '../apps/server/src/context.ts';
import { fullTextQuery } from '../apps/server/src/knowledge/search.ts';
import { rows } from '../apps/server/src/knowledge/vector-support.ts';
import { addKnowledgeDocument } from '../apps/server/src/services/add-knowledge-document.ts';
import { createAgent } from '../apps/server/src/services/create-agent.ts';
import { processKnowledgeDocument } from '../apps/server/src/services/process-knowledge-document.ts';
import { searchKnowledge } from '../apps/server/src/services/search-knowledge.ts';
import { percentile } from './stats.ts';

export const KNOWLEDGE_P99_LIMIT_MS = 50;

export interface KnowledgeFigure {
  db: TestDbKind;
  documents: number;
  chunks: number;
  queries: number;
  indexSeconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Queries that found at least one passage. */
  hits: number;
  /** The database's own execution time of the search query (EXPLAIN ANALYZE) over 100 queries. */
  executionP50: number;
  executionP99: number;
}

/** A deterministic pseudo-random source, so every run searches the same corpus. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ran',
  'te',
  'vo',
  'su',
  'pel',
  'dor',
  'in',
  'ba',
  'cre',
  'fu',
  'gan',
  'hi',
  'jo',
];
const COMMON = [
  'the',
  'our',
  'service',
  'price',
  'hours',
  'policy',
  'customer',
  'appointment',
  'repair',
  'warranty',
];

function vocabulary(rand: () => number, size: number): string[] {
  const words = new Set<string>(COMMON);
  while (words.size < size) {
    const n = 2 + Math.floor(rand() * 3);
    words.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}

function sentence(rand: () => number, words: string[], length: number): string {
  const picked = Array.from({ length }, () => words[Math.floor(rand() * words.length)]);
  return `${picked.join(' ')}.`.replace(/^./, (c) => c.toUpperCase());
}

export async function runKnowledgeBenchmark(options: {
  db: TestDbKind;
  documents: number;
  queries: number;
  log: (line: string) => void;
}): Promise<KnowledgeFigure> {
  const rand = random(42);
  const words = vocabulary(rand, 3000);
  const database = await createTestDatabase(options.db);
  try {
    const config = parseConfig({
      NODE_ENV: 'test',
      APP_SECRET: 'bench-knowledge-secret-0123456789abcdef0123',
    });
    const ctx = createContext({ config, database, log: pino({ level: 'silent' }) });
    const [org] = await ctx.db.insert(organizations).values({ name: 'Bench' }).returning();
    const agent = await createAgent(ctx, {
      organizationId: org!.id,
      data: {
        name: 'Bench',
        isDefault: true,
        isDefaultOutbound: false,
        provider: 'openai',
        language: 'en-US',
        instructions: '',
        greeting: '',
        companyBrief: '',
        tools: ['search_knowledge'],
        transferMode: 'cold',
        voicemailMessage: '',
        tuning: {},
        dtmfActions: {},
        postCall: { summary: true, extraction: [] },
        recording: 'off',
        callerContext: 'limited',
        smsRecipients: 'caller',
      },
    });
    const started = performance.now();
    for (let i = 0; i < options.documents; i++) {
      const text = Array.from({ length: 24 }, () => sentence(rand, words, 8 + Math.floor(rand() * 10))).join(
        ' ',
      );
      const doc = await addKnowledgeDocument(ctx, {
        organizationId: org!.id,
        agentId: agent.id,
        title: `Document ${i} ${sentence(rand, words, 3)}`,
        mimeType: 'application/json',
        content: Buffer.from(text),
        source: 'text',
      });
      await processKnowledgeDocument(ctx, doc.id);
      if ((i + 1) % 200 === 0) options.log(`  knowledge: ${i + 1}/${options.documents} documents indexed`);
    }
    const indexSeconds = (performance.now() - started) / 1000;
    const timings: number[] = [];
    let hits = 0;
    for (let q = 0; q < options.queries + 20; q++) {
      const query = `${sentence(rand, words, 3 + Math.floor(rand() * 5))}?`;
      const t0 = performance.now();
      const found = await searchKnowledge(ctx, {
        organizationId: org!.id,
        agentId: agent.id,
        query,
        limit: 4,
      });
      const ms = performance.now() - t0;
      if (q < 20) continue; // warm-up
      timings.push(ms);
      if (found.passages.length > 0) hits++;
    }
    const chunks = await ctx.db.$count(knowledgeChunks);
    // What the database itself spends, apart from scheduling on a busy machine.
    const execution: number[] = [];
    for (let q = 0; q < 100; q++) {
      const query = `${sentence(rand, words, 3 + Math.floor(rand() * 5))}?`;
      const input = { organizationId: org!.id, agentId: agent.id, config: 'english', query };
      const plan = rows<{ 'QUERY PLAN': Array<{ 'Execution Time': number }> | string }>(
        await ctx.db.execute(sql`explain (analyze, format json) ${fullTextQuery(input)}`),
      )[0]?.['QUERY PLAN'];
      const parsed = typeof plan === 'string' ? JSON.parse(plan) : plan;
      execution.push(Number(parsed?.[0]?.['Execution Time']));
    }
    execution.sort((a, b) => a - b);
    timings.sort((a, b) => a - b);
    return {
      db: options.db,
      documents: options.documents,
      chunks,
      queries: options.queries,
      indexSeconds: Math.round(indexSeconds * 10) / 10,
      p50: percentile(timings, 50),
      p90: percentile(timings, 90),
      p99: percentile(timings, 99),
      max: timings.at(-1) ?? Number.NaN,
      hits,
      executionP50: percentile(execution, 50),
      executionP99: percentile(execution, 99),
    };
  } finally {
    await database.close();
  }
}
