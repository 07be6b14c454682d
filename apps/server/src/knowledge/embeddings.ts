/**
 * Embeddings through an OpenAI-compatible `POST {OPENAI_BASE_URL}/embeddings`, used only when
 * KNOWLEDGE_EMBEDDINGS_MODEL is set. Documents are embedded in batches while they are
 * processed; a caller's query is embedded with a short deadline, and search falls back to
 * full-text alone when the endpoint is slow or failing, so a caller never waits on it.
 */
import type { AppContext } from '../context.ts';
import { resolveCredentials } from '../services/resolve-credentials.ts';

/** Inputs per request while indexing a document. */
export const EMBEDDING_BATCH = 64;
/** Deadline of one indexing request. */
const INDEX_TIMEOUT_MS = 30_000;

export interface Embedder {
  model: string;
  embed(texts: string[], options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<number[][]>;
}

export function createEmbedder(options: { baseUrl: string; apiKey: string; model: string }): Embedder {
  return {
    model: options.model,
    async embed(texts, { signal, timeoutMs = INDEX_TIMEOUT_MS } = {}) {
      const deadline = AbortSignal.timeout(timeoutMs);
      const response = await fetch(`${options.baseUrl}/embeddings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: options.model, input: texts }),
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(
          `embeddings endpoint answered ${response.status}: ${body?.error?.message ?? response.statusText}`,
        );
      }
      const body = (await response.json()) as { data?: Array<{ index: number; embedding: number[] }> };
      const data = [...(body.data ?? [])].sort((a, b) => a.index - b.index);
      if (data.length !== texts.length || data.some((d) => !Array.isArray(d.embedding))) {
        throw new Error('embeddings endpoint returned a malformed answer');
      }
      return data.map((d) => d.embedding);
    },
  };
}

export type EmbedderChoice = { embedder: Embedder; reason: null } | { embedder: null; reason: string };

/** The organization's embedder, or why there is none (for the studio and the logs). */
export async function embedderFor(
  ctx: Pick<AppContext, 'config' | 'db' | 'secrets' | 'log'>,
  organizationId: string,
): Promise<EmbedderChoice> {
  const model = ctx.config.knowledge.embeddingsModel;
  if (!model)
    return { embedder: null, reason: 'no embeddings model is configured (KNOWLEDGE_EMBEDDINGS_MODEL)' };
  const apiKey = (await resolveCredentials(ctx, organizationId)).openai?.apiKey;
  if (!apiKey) return { embedder: null, reason: 'no OpenAI API key is configured for embeddings' };
  return { embedder: createEmbedder({ baseUrl: ctx.config.openai.baseUrl, apiKey, model }), reason: null };
}

/** pgvector's text form of a vector. */
export function vectorLiteral(values: number[]): string {
  return `[${values.map((v) => (Number.isFinite(v) ? v : 0)).join(',')}]`;
}
