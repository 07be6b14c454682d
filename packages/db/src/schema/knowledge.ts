/** Knowledge bases (documents and searchable chunks) and MCP servers. */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, orgId, updatedAt } from './columns.ts';
import { agents } from './organization.ts';

/** Raw bytes (an upload waiting to be processed). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});
/** A full-text search vector; written with `to_tsvector(...)` in SQL, never read as a value. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Documents of an agent's knowledge base. `content` holds the uploaded bytes only until they
 * are processed into `knowledge_chunks`.
 */
export const knowledgeDocuments = pgTable(
  'knowledge_documents',
  {
    id: id(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    mimeType: text('mime_type').notNull(),
    bytes: integer('bytes').notNull(),
    chunks: integer('chunks').notNull().default(0),
    status: text('status').$type<'processing' | 'ready' | 'failed'>().notNull().default('processing'),
    error: text('error'),
    progress: integer('progress').notNull().default(0),
    source: text('source').$type<'upload' | 'text' | 'brief'>().notNull().default('upload'),
    content: bytea('content'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('knowledge_documents_agent_idx').on(t.organizationId, t.agentId)],
);

/**
 * Passages of a document, searchable by full text (`tsv`, built with the agent language's text
 * search configuration) and, where pgvector is installed, by an `embedding` column that the
 * knowledge_vector migration adds.
 */
export const knowledgeChunks = pgTable(
  'knowledge_chunks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => knowledgeDocuments.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    content: text('content').notNull(),
    tsv: tsvector('tsv').notNull(),
  },
  (t) => [
    index('knowledge_chunks_agent_idx').on(t.agentId),
    index('knowledge_chunks_document_idx').on(t.documentId),
    index('knowledge_chunks_tsv_idx').using('gin', t.tsv),
  ],
);

/** MCP servers of an organization; agents enable their tools as `mcp:<name>:<tool>`. */
export const mcpServers = pgTable(
  'mcp_servers',
  {
    id: id(),
    organizationId: orgId(),
    name: text('name').notNull(),
    transport: text('transport').$type<'http' | 'stdio'>().notNull(),
    url: text('url'),
    command: text('command'),
    args: jsonb('args').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** AES-256-GCM ciphertext of the JSON header map (may carry API keys); never returned. */
    headersCiphertext: text('headers_ciphertext'),
    status: text('status').$type<'untested' | 'ok' | 'error'>().notNull().default('untested'),
    lastError: text('last_error'),
    tools: jsonb('tools')
      .$type<Array<{ name: string; description: string; inputSchema: Record<string, unknown> }>>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    toolsFetchedAt: timestamp('tools_fetched_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('mcp_servers_org_name_uq').on(t.organizationId, t.name)],
);
