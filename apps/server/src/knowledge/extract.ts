/**
 * Text extraction, always off the main thread: each document is read in its own worker thread
 * with a memory limit and a time limit, so a huge, hostile or pathological file (zip bomb,
 * endless PDF) fails that document and nothing else. The event loop that relays live call
 * audio only receives messages.
 */
import { Worker } from 'node:worker_threads';
import { ExtractionError } from './formats/errors.ts';
import type { WorkerMessage } from './formats/extract-worker.ts';

export { ExtractionError };

/** Longest one extraction may run. */
export const EXTRACTION_TIMEOUT_MS = 120_000;
/** Heap of the extraction worker (MB); exceeding it fails the document as too large. */
export const EXTRACTION_HEAP_MB = 512;
/** Most characters of text kept from one document. */
export const MAX_DOCUMENT_CHARS = 5_000_000;

export interface ExtractOptions {
  /** Pages (PDF) read so far, for progress. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function extractText(
  bytes: Uint8Array,
  mimeType: string,
  options: ExtractOptions = {},
): Promise<string> {
  if (mimeType === 'application/json') return new TextDecoder().decode(bytes); // already text (JSON body)
  const worker = new Worker(new URL('./formats/extract-worker.ts', import.meta.url), {
    workerData: { bytes, mimeType },
    resourceLimits: { maxOldGenerationSizeMb: EXTRACTION_HEAP_MB, maxYoungGenerationSizeMb: 64 },
    stdout: true,
    stderr: true,
  });
  const timeoutMs = options.timeoutMs ?? EXTRACTION_TIMEOUT_MS;
  try {
    const text = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new ExtractionError(
              'timeout',
              `Reading the file took longer than ${timeoutMs / 1000} s; it was stopped.`,
            ),
          ),
        timeoutMs,
      );
      const onAbort = () => reject(new ExtractionError('timeout', 'Processing was cancelled.'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') return options.onProgress?.(message.done, message.total);
        settle();
        if (message.type === 'done') resolve(message.text);
        else reject(new ExtractionError(message.code, message.message));
      });
      worker.on('error', (error: Error & { code?: string }) => {
        settle();
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ExtractionError(
                'too_large',
                'The file needs too much memory to read (it may be a decompression bomb).',
              )
            : new ExtractionError('corrupt', 'The file could not be read.'),
        );
      });
      worker.on('exit', (code) => {
        settle();
        reject(
          new ExtractionError('corrupt', `The file could not be read (reader exited with code ${code}).`),
        );
      });
    });
    const trimmed = text
      .replace(/[ \t]+/g, ' ')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (trimmed === '') {
      throw new ExtractionError(
        'empty',
        mimeType === 'application/pdf'
          ? 'No text was found in the PDF (it may be scanned images; text recognition is not supported).'
          : 'The file contains no text.',
      );
    }
    if (trimmed.length > MAX_DOCUMENT_CHARS) {
      throw new ExtractionError(
        'too_large',
        `The document has ${trimmed.length.toLocaleString('en-US')} characters of text; at most ${MAX_DOCUMENT_CHARS.toLocaleString('en-US')} are accepted. Split it into smaller files.`,
      );
    }
    return trimmed;
  } finally {
    await worker.terminate();
  }
}
