/**
 * Runs document processing in this process, one document at a time, and picks up documents
 * left `processing` by a previous run at start.
 *
 * Interim: this is not yet a durable job. It will become one on the job queue (pg-boss), which
 * adds retries, several servers sharing the work and a lease per document; the processing
 * itself (process-knowledge-document.ts) stays as it is.
 */
import { knowledgeDocuments } from '@switchboard/db';
import { and, eq, isNotNull } from 'drizzle-orm';
import { type ProcessDeps, processKnowledgeDocument } from '../services/process-knowledge-document.ts';

export class KnowledgeProcessor {
  #deps: ProcessDeps;
  #queue: string[] = [];
  #running: Promise<void> | null = null;
  #abort = new AbortController();

  constructor(deps: ProcessDeps) {
    this.#deps = deps;
  }

  enqueue(documentId: string): void {
    if (this.#abort.signal.aborted || this.#queue.includes(documentId)) return;
    this.#queue.push(documentId);
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /** Queues every document still waiting to be processed (after a restart). */
  async resume(): Promise<void> {
    const pending = await this.#deps.db
      .select({ id: knowledgeDocuments.id })
      .from(knowledgeDocuments)
      .where(and(eq(knowledgeDocuments.status, 'processing'), isNotNull(knowledgeDocuments.content)))
      .orderBy(knowledgeDocuments.createdAt);
    for (const { id } of pending) this.enqueue(id);
  }

  /** Resolves when nothing is queued or running (tests). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Stops after the current document (its extraction is cancelled). */
  async close(): Promise<void> {
    this.#abort.abort();
    this.#queue = [];
    await this.#running;
  }

  async #drain(): Promise<void> {
    for (let id = this.#queue.shift(); id; id = this.#queue.shift()) {
      try {
        await processKnowledgeDocument(this.#deps, id, { signal: this.#abort.signal });
      } catch (error) {
        this.#deps.log.error({ err: error, documentId: id }, 'knowledge processing crashed');
      }
    }
  }
}
