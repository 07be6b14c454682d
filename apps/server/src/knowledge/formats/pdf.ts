/**
 * PDF through unpdf (PDF.js, serverless build): page by page, so progress can be reported and
 * the page limit enforced before the work is done. Password-protected and damaged files get
 * their own messages.
 */
import { ExtractionError } from './errors.ts';

/** Most pages read from one PDF. */
export const MAX_PDF_PAGES = 2000;

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

export async function pdfToText(
  bytes: Uint8Array,
  onProgress: (done: number, total: number) => void,
): Promise<string> {
  let pdf: Awaited<ReturnType<typeof import('unpdf').getDocumentProxy>>;
  try {
    // Loaded on first use (only knowledge uploads read PDFs).
    const { getDocumentProxy } = await import('unpdf');
    // PDF.js takes ownership of (and may detach) the buffer it is given: pass a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes));
  } catch (error) {
    throw classify(error);
  }
  try {
    if (pdf.numPages > MAX_PDF_PAGES) {
      throw new ExtractionError(
        'too_many_pages',
        `The PDF has ${pdf.numPages} pages; at most ${MAX_PDF_PAGES} are accepted. Split it into smaller files.`,
      );
    }
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pages.push(
        (content.items as TextItemLike[])
          .map((item) => (item.str ?? '') + (item.hasEOL ? '\n' : ''))
          .join('')
          .replace(/[ \t]+\n/g, '\n'),
      );
      page.cleanup();
      onProgress(n, pdf.numPages);
    }
    return pages.join('\n\n');
  } catch (error) {
    throw classify(error);
  }
  // No teardown: the worker thread that runs this ends with the extraction.
}

function classify(error: unknown): ExtractionError {
  if (error instanceof ExtractionError) return error;
  const name = (error as { name?: string } | null)?.name;
  if (name === 'PasswordException') {
    return new ExtractionError(
      'encrypted',
      'The PDF is password-protected. Remove the password (print or export it to a new PDF) and upload it again.',
    );
  }
  return new ExtractionError('corrupt', 'The PDF could not be read (the file is damaged or not a PDF).');
}
