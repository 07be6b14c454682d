import { knowledgeDocuments } from '@switchboard/db';
import type { KnowledgeSource } from '@switchboard/shared';
import { and, count, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import { DOCUMENT_COLUMNS } from '../knowledge/documents.ts';
import type { KnowledgeDocumentInfo } from '../mappers/knowledge.ts';
import { lockOrganization } from '../sql.ts';
import { getAgent } from './get-agent.ts';

/** Most documents one agent's knowledge base holds. */
export const MAX_DOCUMENTS_PER_AGENT = 2000;

export interface AddKnowledgeDocumentInput {
  organizationId: string;
  agentId: string;
  title: string;
  mimeType: string;
  content: Buffer;
  source: KnowledgeSource;
}

/**
 * Stores a document as `processing` with its bytes; the caller then queues its processing
 * (process-knowledge-document.ts), which replaces the bytes with searchable passages.
 */
export async function addKnowledgeDocument(
  deps: ServiceDeps,
  input: AddKnowledgeDocumentInput,
): Promise<KnowledgeDocumentInfo> {
  return deps.db.transaction(async (tx) => {
    await lockOrganization(tx, input.organizationId);
    await getAgent({ db: tx }, { organizationId: input.organizationId, id: input.agentId });
    const [existing] = await tx
      .select({ n: count() })
      .from(knowledgeDocuments)
      .where(
        and(
          eq(knowledgeDocuments.organizationId, input.organizationId),
          eq(knowledgeDocuments.agentId, input.agentId),
        ),
      );
    if ((existing?.n ?? 0) >= MAX_DOCUMENTS_PER_AGENT) {
      throw new AppError(
        'conflict',
        `This agent already has ${MAX_DOCUMENTS_PER_AGENT} documents, the most allowed. Delete some first.`,
      );
    }
    const now = deps.clock();
    const [row] = await tx
      .insert(knowledgeDocuments)
      .values({
        organizationId: input.organizationId,
        agentId: input.agentId,
        title: input.title,
        mimeType: input.mimeType,
        bytes: input.content.length,
        source: input.source,
        content: input.content,
        createdAt: now,
        updatedAt: now,
      })
      .returning(DOCUMENT_COLUMNS);
    return row!;
  });
}
