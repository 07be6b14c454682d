import { knowledgeDocuments } from '@switchboard/db';
import type { KnowledgeStatusInfo } from '@switchboard/shared';
import { BRIEF_INSTRUCTION_CHARS, briefHead } from '@switchboard/voice';
import { and, desc, eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { DOCUMENT_COLUMNS } from '../knowledge/documents.ts';
import { vectorSupport } from '../knowledge/vector-cache.ts';
import type { KnowledgeDocumentInfo } from '../mappers/knowledge.ts';
import { getAgent } from './get-agent.ts';

/** An agent's documents (newest first) and what its retrieval can use. */
export async function listKnowledge(
  deps: Pick<AppContext, 'db' | 'config'>,
  input: { organizationId: string; agentId: string },
): Promise<{ items: KnowledgeDocumentInfo[]; status: KnowledgeStatusInfo }> {
  const agent = await getAgent(deps, { organizationId: input.organizationId, id: input.agentId });
  const items = await deps.db
    .select(DOCUMENT_COLUMNS)
    .from(knowledgeDocuments)
    .where(
      and(
        eq(knowledgeDocuments.organizationId, input.organizationId),
        eq(knowledgeDocuments.agentId, agent.id),
      ),
    )
    .orderBy(desc(knowledgeDocuments.createdAt), desc(knowledgeDocuments.id));
  const support = await vectorSupport(deps.db);
  const model = deps.config.knowledge.embeddingsModel;
  const hybrid = support.available && Boolean(model);
  const brief = agent.companyBrief.trim();
  return {
    items,
    status: {
      documents: items.length,
      chunks: items.reduce((sum, d) => sum + (d.status === 'ready' ? d.chunks : 0), 0),
      retrieval: hybrid ? 'hybrid' : 'fulltext',
      vectorNote: hybrid
        ? null
        : !model
          ? 'Vector search is off: no embeddings model is configured (KNOWLEDGE_EMBEDDINGS_MODEL).'
          : `Vector search is off: ${support.reason}.`,
      briefInInstructions: Math.min(briefHead(brief).head.length, BRIEF_INSTRUCTION_CHARS),
      briefTotal: brief.length,
    },
  };
}
