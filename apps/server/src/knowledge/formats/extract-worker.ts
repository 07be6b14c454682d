/**
 * Runs in a worker thread (extract.ts): turns one document's bytes into text, posting progress
 * as it goes. Nothing here touches the event loop that carries live calls.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { docxToText } from './docx.ts';
import { ExtractionError } from './errors.ts';
import { pdfToText } from './pdf.ts';
import { csvToText, decodeText } from './text.ts';

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; text: string }
  | { type: 'error'; code: ExtractionError['code']; message: string };

const { bytes, mimeType } = workerData as { bytes: Uint8Array; mimeType: string };
const post = (message: WorkerMessage) => parentPort?.postMessage(message);

async function extract(): Promise<string> {
  switch (mimeType) {
    case 'application/pdf':
      return pdfToText(bytes, (done, total) => post({ type: 'progress', done, total }));
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return docxToText(bytes);
    case 'text/csv':
      return csvToText(decodeText(bytes));
    case 'text/plain':
    case 'text/markdown':
      return decodeText(bytes);
    default:
      throw new ExtractionError('unsupported', `Files of type ${mimeType} are not supported.`);
  }
}

extract().then(
  (text) => post({ type: 'done', text }),
  (error: unknown) =>
    post(
      error instanceof ExtractionError
        ? { type: 'error', code: error.code, message: error.message }
        : { type: 'error', code: 'corrupt', message: 'The file could not be read.' },
    ),
);
