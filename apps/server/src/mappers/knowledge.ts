import type { knowledgeDocuments } from '@switchboard/db';
import type { KnowledgeDocument } from '@switchboard/shared';
import { iso } from './iso.ts';

export type KnowledgeDocumentRow = typeof knowledgeDocuments.$inferSelect;

/** The columns every read selects (never the stored upload bytes). */
export type KnowledgeDocumentInfo = Omit<KnowledgeDocumentRow, 'content'>;

export function toKnowledgeDocumentJson(row: KnowledgeDocumentInfo): KnowledgeDocument {
  return {
    id: row.id,
    agentId: row.agentId,
    title: row.title,
    mimeType: row.mimeType,
    bytes: row.bytes,
    chunks: row.chunks,
    status: row.status,
    error: row.error,
    progress: row.progress,
    source: row.source,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
