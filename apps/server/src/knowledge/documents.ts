/** Shared reads of knowledge documents: the columns without the upload bytes, scoped by organization. */
import { type DbOrTx, knowledgeDocuments } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { notFound } from '../errors.ts';
import type { KnowledgeDocumentInfo } from '../mappers/knowledge.ts';

export const DOCUMENT_COLUMNS = {
  id: knowledgeDocuments.id,
  organizationId: knowledgeDocuments.organizationId,
  agentId: knowledgeDocuments.agentId,
  title: knowledgeDocuments.title,
  mimeType: knowledgeDocuments.mimeType,
  bytes: knowledgeDocuments.bytes,
  chunks: knowledgeDocuments.chunks,
  status: knowledgeDocuments.status,
  error: knowledgeDocuments.error,
  progress: knowledgeDocuments.progress,
  source: knowledgeDocuments.source,
  createdAt: knowledgeDocuments.createdAt,
  updatedAt: knowledgeDocuments.updatedAt,
};

export async function getKnowledgeDocument(
  db: DbOrTx,
  input: { organizationId: string; id: string },
): Promise<KnowledgeDocumentInfo> {
  const [row] = await db
    .select(DOCUMENT_COLUMNS)
    .from(knowledgeDocuments)
    .where(
      and(eq(knowledgeDocuments.organizationId, input.organizationId), eq(knowledgeDocuments.id, input.id)),
    )
    .limit(1);
  if (!row) throw notFound('Document');
  return row;
}
