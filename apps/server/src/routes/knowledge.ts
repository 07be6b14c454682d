/**
 * Knowledge base of an agent: upload (multipart file or JSON `{title, text}`), list with
 * processing status, delete, and a search that shows what the agent would retrieve.
 */
import multipart from '@fastify/multipart';
import {
  createKnowledgeTextSchema,
  idParamsSchema,
  KNOWLEDGE_MAX_UPLOAD_BYTES,
  KNOWLEDGE_MIME_TYPES,
  knowledgeDocumentSchema,
  knowledgeSearchResponseSchema,
  knowledgeSearchSchema,
  listKnowledgeResponseSchema,
} from '@switchboard/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { queueKnowledgeDocument } from '../knowledge/process-job.ts';
import { refreshVectorSupport } from '../knowledge/vector-cache.ts';
import { toKnowledgeDocumentJson } from '../mappers/knowledge.ts';
import { audit } from '../plugins/audit.ts';
import { addKnowledgeDocument } from '../services/add-knowledge-document.ts';
import { deleteKnowledgeDocument } from '../services/delete-knowledge-document.ts';
import { listKnowledge } from '../services/list-knowledge.ts';
import { searchKnowledge } from '../services/search-knowledge.ts';
import { parse } from '../validation.ts';

const MB = 1024 * 1024;
const ACCEPTED = Object.entries(KNOWLEDGE_MIME_TYPES).flatMap(([mime, exts]) =>
  exts.map((ext) => [ext, mime]),
);

export async function knowledgeRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  await app.register(multipart, {
    limits: { fileSize: KNOWLEDGE_MAX_UPLOAD_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6 },
  });
  app.addHook('onReady', async () => {
    await refreshVectorSupport(ctx.db);
  });

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/agents/:id/knowledge',
      auth: 'viewer',
      summary: "An agent's knowledge documents (newest first) with status, and what retrieval can use",
      params: idParamsSchema,
      responses: { 200: listKnowledgeResponseSchema },
    },
    async (request, { params }) => {
      const { items, status } = await listKnowledge(ctx, {
        organizationId: request.auth.organizationId,
        agentId: params.id,
      });
      return { items: items.map(toKnowledgeDocumentJson), status };
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/agents/:id/knowledge',
      auth: 'admin',
      summary:
        'Add a document: multipart/form-data `file` (PDF, DOCX, TXT, Markdown, CSV; optional `title`) or JSON {title, text}',
      description: `Answers 202 with the document in \`processing\`; poll GET /api/agents/:id/knowledge for \`ready\` or \`failed\` (with \`error\`). Files up to ${KNOWLEDGE_MAX_UPLOAD_BYTES / MB} MB.`,
      params: idParamsSchema,
      bodyLimit: 5 * MB,
      responses: { 202: knowledgeDocumentSchema },
    },
    async (request, { params }, reply) => {
      const upload = request.isMultipart() ? await readUpload(request) : readText(request.body);
      const doc = await addKnowledgeDocument(deps(request), {
        organizationId: request.auth.organizationId,
        agentId: params.id,
        ...upload,
      });
      await queueKnowledgeDocument(ctx, doc.id);
      await audit(
        request,
        'knowledge.create',
        { type: 'knowledge_document', id: doc.id },
        { title: doc.title },
      );
      reply.code(202);
      return toKnowledgeDocumentJson(doc);
    },
  );

  defineRoute(
    app,
    {
      method: 'DELETE',
      url: '/api/knowledge/:id',
      auth: 'admin',
      summary: 'Delete a knowledge document and its passages',
      params: idParamsSchema,
      responses: { 204: null },
    },
    async (request, { params }, reply) => {
      const doc = await deleteKnowledgeDocument(deps(request), {
        organizationId: request.auth.organizationId,
        id: params.id,
      });
      await audit(
        request,
        'knowledge.delete',
        { type: 'knowledge_document', id: doc.id },
        { title: doc.title },
      );
      reply.code(204);
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/agents/:id/knowledge/search',
      // A POST (the query is a body), so not a viewer's: viewers only read.
      auth: 'agent',
      summary: 'The passages the agent would retrieve for a query (what search_knowledge returns)',
      params: idParamsSchema,
      body: knowledgeSearchSchema,
      rateLimit: { max: 60, timeWindow: '1 minute' },
      responses: { 200: knowledgeSearchResponseSchema },
    },
    async (request, { params, body }) =>
      searchKnowledge(ctx, {
        organizationId: request.auth.organizationId,
        agentId: params.id,
        query: body.query,
        limit: body.limit,
      }),
  );
}

function readText(body: unknown) {
  const { title, text } = parse(createKnowledgeTextSchema, body);
  return { title, mimeType: 'application/json', content: Buffer.from(text, 'utf8'), source: 'text' as const };
}

async function readUpload(request: FastifyRequest) {
  const file = await request.file();
  if (!file)
    throw new AppError('validation_failed', 'file: is required', {
      issues: [{ path: 'file', message: 'is required' }],
    });
  const extension = /\.[a-z0-9]+$/i.exec(file.filename)?.[0]?.toLowerCase() ?? '';
  const mimeType =
    ACCEPTED.find(([ext]) => ext === extension)?.[1] ??
    (Object.hasOwn(KNOWLEDGE_MIME_TYPES, file.mimetype) ? file.mimetype : null);
  if (!mimeType) {
    file.file.resume(); // drain the rest of the upload
    throw new AppError(
      'unsupported_media_type',
      `Files of this type cannot be added (${file.filename}). Upload PDF, DOCX, TXT, Markdown or CSV.`,
    );
  }
  let content: Buffer;
  try {
    content = await file.toBuffer();
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(
        'payload_too_large',
        `The file is larger than ${KNOWLEDGE_MAX_UPLOAD_BYTES / MB} MB. Split it or remove images, then upload it again.`,
      );
    }
    throw error;
  }
  if (content.length === 0)
    throw new AppError('validation_failed', 'The file is empty.', {
      issues: [{ path: 'file', message: 'is empty' }],
    });
  const field = file.fields.title as { value?: unknown } | undefined;
  const given = typeof field?.value === 'string' ? field.value.trim().slice(0, 200) : '';
  const title = given || file.filename.replace(/\.[^.]+$/, '').slice(0, 200) || 'Untitled';
  return { title, mimeType, content, source: 'upload' as const };
}
