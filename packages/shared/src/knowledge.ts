import { z } from 'zod';

/**
 * Knowledge base: documents uploaded per agent, split into passages the agent retrieves with
 * `search_knowledge`. Limits are described in docs/knowledge.md.
 */

export const KNOWLEDGE_STATUSES = ['processing', 'ready', 'failed'] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];

/** What a document was made from: an uploaded file, a JSON body, or the agent's own brief. */
export const KNOWLEDGE_SOURCES = ['upload', 'text', 'brief'] as const;
export type KnowledgeSource = (typeof KNOWLEDGE_SOURCES)[number];

/** File types accepted by upload, by MIME type (the extension decides when the browser sends none). */
export const KNOWLEDGE_MIME_TYPES = {
  'application/pdf': ['.pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'text/plain': ['.txt'],
  'text/markdown': ['.md', '.markdown'],
  'text/csv': ['.csv'],
} as const;
export type KnowledgeMimeType = keyof typeof KNOWLEDGE_MIME_TYPES | 'application/json';

/** Largest file accepted by upload (bytes); bigger uploads are refused with 413. */
export const KNOWLEDGE_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/**
 * Characters of the company brief placed in the instructions (the voice package's
 * BRIEF_INSTRUCTION_CHARS; a server test keeps the two equal). The rest is indexed.
 */
export const KNOWLEDGE_BRIEF_INSTRUCTION_CHARS = 6000;
/** Longest text a JSON `{title, text}` document may carry (characters). */
export const KNOWLEDGE_MAX_TEXT_CHARS = 1_000_000;

export const knowledgeDocumentSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  title: z.string(),
  mimeType: z.string(),
  bytes: z.number().int(),
  chunks: z.number().int(),
  status: z.enum(KNOWLEDGE_STATUSES),
  /** Why processing failed (`status: failed`), in words a user can act on. */
  error: z.string().nullable(),
  /** 0–100 while processing. */
  progress: z.number().int(),
  source: z.enum(KNOWLEDGE_SOURCES),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type KnowledgeDocument = z.infer<typeof knowledgeDocumentSchema>;

/** `POST /api/agents/:id/knowledge` with a JSON body (files are sent as multipart/form-data). */
export const createKnowledgeTextSchema = z.strictObject({
  title: z.string().trim().min(1, 'is required').max(200),
  text: z
    .string()
    .max(KNOWLEDGE_MAX_TEXT_CHARS)
    .refine((t) => t.trim().length > 0, 'is empty'),
});
export type CreateKnowledgeText = z.input<typeof createKnowledgeTextSchema>;

/** What the agent's retrieval can use, for the studio. */
export const knowledgeStatusSchema = z.object({
  documents: z.number().int(),
  chunks: z.number().int(),
  /** `hybrid`: full-text and vector similarity; `fulltext`: full-text only. */
  retrieval: z.enum(['hybrid', 'fulltext']),
  /** Why vector similarity is off (no embeddings endpoint, no pgvector), when it is. */
  vectorNote: z.string().nullable(),
  /** Characters of the company brief placed in the instructions; the rest is served by retrieval. */
  briefInInstructions: z.number().int(),
  briefTotal: z.number().int(),
});
export type KnowledgeStatusInfo = z.infer<typeof knowledgeStatusSchema>;

export const listKnowledgeResponseSchema = z.object({
  items: z.array(knowledgeDocumentSchema),
  status: knowledgeStatusSchema,
});
export type ListKnowledgeResponse = z.infer<typeof listKnowledgeResponseSchema>;

export const knowledgeSearchSchema = z.strictObject({
  query: z.string().trim().min(1, 'is required').max(500),
  limit: z.number().int().min(1).max(10).default(4),
});

export const knowledgePassageSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  text: z.string(),
  score: z.number(),
});
export type KnowledgePassage = z.infer<typeof knowledgePassageSchema>;

export const knowledgeSearchResponseSchema = z.object({
  query: z.string(),
  retrieval: z.enum(['hybrid', 'fulltext']),
  passages: z.array(knowledgePassageSchema),
  tookMs: z.number(),
});
export type KnowledgeSearchResponse = z.infer<typeof knowledgeSearchResponseSchema>;
