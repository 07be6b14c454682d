/**
 * Extraction of every accepted format in the worker thread, and every hostile input: damaged
 * and password-protected PDFs, a DOCX that inflates past the limit, binary data renamed .txt,
 * a reader that runs too long.
 */
import { makeDocx, makePdf } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { chunkText } from './chunk.ts';
import { ExtractionError, extractText } from './extract.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function failure(work: Promise<unknown>): Promise<ExtractionError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  return error as ExtractionError;
}

describe('extractText', () => {
  it('reads a PDF page by page with progress', async () => {
    const progress: Array<[number, number]> = [];
    const text = await extractText(
      makePdf([
        'Opening hours: Monday to Friday, 8 to 6.',
        'Brake pads carry a 24-month warranty (parts and labour).',
      ]),
      'application/pdf',
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(text).toContain('Opening hours: Monday to Friday, 8 to 6.');
    expect(text).toContain('24-month warranty (parts and labour)');
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('explains a password-protected PDF, a damaged one and one without text', async () => {
    expect(
      (await failure(extractText(makePdf(['secret'], { encrypted: true }), 'application/pdf'))).code,
    ).toBe('encrypted');
    const damaged = await failure(
      extractText(Buffer.from('%PDF-1.4\n garbage \u0000\u0001'), 'application/pdf'),
    );
    expect(damaged.code).toBe('corrupt');
    expect(damaged.message).toMatch(/damaged/);
    expect((await failure(extractText(makePdf(['']), 'application/pdf'))).message).toMatch(
      /No text was found/,
    );
  });

  it('reads a DOCX and refuses one that inflates past the limit', async () => {
    const text = await extractText(await makeDocx(['Loaner cars are free for repairs over $500.']), DOCX);
    expect(text).toBe('Loaner cars are free for repairs over $500.');
    const bomb = await makeDocx(['tiny'], { padding: 120 * 1024 * 1024 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await failure(extractText(bomb, DOCX));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/decompressed/);
    expect((await failure(extractText(Buffer.from('not a zip at all'), DOCX))).code).toBe('corrupt');
  });

  it('reads text, Markdown and CSV, and refuses binary data renamed .txt', async () => {
    expect(await extractText(Buffer.from('\ufeffHello\r\nworld'), 'text/plain')).toBe('Hello\nworld');
    expect(await extractText(Buffer.from('# Prices\n\n- Oil change: $59'), 'text/markdown')).toContain(
      'Oil change',
    );
    const csv = await extractText(
      Buffer.from('Service,Price\nOil change,$59\n"Brakes, front",$240\n'),
      'text/csv',
    );
    expect(csv).toBe('Service: Oil change; Price: $59\nService: Brakes, front; Price: $240');
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
    const error = await failure(extractText(binary, 'text/plain'));
    expect(error.code).toBe('not_text');
    expect(error.message).toMatch(/binary/);
  });

  it('stops a reader that runs past its time limit', async () => {
    const pages = Array.from({ length: 40 }, (_, i) => `Page ${i} `.repeat(200));
    const error = await failure(extractText(makePdf(pages), 'application/pdf', { timeoutMs: 1 }));
    expect(error.code).toBe('timeout');
  });
});

describe('chunkText', () => {
  it('packs paragraphs into passages near the target with overlap', () => {
    const sentences = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} says something useful.`);
    const chunks = chunkText(sentences.join(' '), { target: 300, overlap: 80 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(300);
    // Every sentence is in some passage, and consecutive passages share text.
    for (const s of sentences) expect(chunks.some((c) => c.includes(s))).toBe(true);
    const lastOfFirst = chunks[0]!.split('. ').at(-1)!;
    expect(chunks[1]!.startsWith(lastOfFirst.slice(0, 20))).toBe(true);
  });

  it('keeps CSV rows whole and splits words longer than a passage', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `Service: Item ${i}; Price: $${i}`);
    const chunks = chunkText(rows.join('\n'), { target: 200, overlap: 0 });
    for (const row of rows) expect(chunks.some((c) => c.split('\n').includes(row))).toBe(true);
    expect(chunkText('x'.repeat(1000), { target: 300 }).every((c) => c.length <= 300)).toBe(true);
    expect(chunkText('   \n\n  ')).toEqual([]);
  });
});
