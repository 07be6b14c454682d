import { knowledgeDocuments } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { getKnowledgeDocument } from '../knowledge/documents.ts';
import type { KnowledgeDocumentInfo } from '../mappers/knowledge.ts';

/** Deletes a document and its passages (cascade); a document still processing stops being indexed. */
export async function deleteKnowledgeDocument(
  deps: ServiceDeps,
  input: { organizationId: string; id: string },
): Promise<KnowledgeDocumentInfo> {
  const row = await getKnowledgeDocument(deps.db, input);
  await deps.db
    .delete(knowledgeDocuments)
    .where(
      and(eq(knowledgeDocuments.organizationId, input.organizationId), eq(knowledgeDocuments.id, input.id)),
    );
  return row;
}
