import { importProspectsSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { parse } from '../validation.ts';
import { parseImportBody } from './prospect-import-body.ts';

/** What `parse(importProspectsSchema, raw)` does: its output, or the details of the error it throws. */
function oneGo(raw: unknown): unknown {
  try {
    return { ok: parse(importProspectsSchema, raw) };
  } catch (error) {
    return { error: error instanceof AppError ? [error.code, error.details] : String(error) };
  }
}

async function sliced(raw: unknown): Promise<unknown> {
  try {
    return { ok: await parseImportBody(raw) };
  } catch (error) {
    return { error: error instanceof AppError ? [error.code, error.details] : String(error) };
  }
}

const phones = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ phone: `+1415555${String(i).padStart(4, '0')}` }));

describe('parseImportBody', () => {
  it.each([
    ['a valid body with defaults', { rows: [{ phone: '+14155550100', Name: 'Ada' }] }],
    ['a valid body with every field', { rows: phones(3), onDuplicate: 'update', source: '  fair  ' }],
    ['5,000 rows (the limit)', { rows: phones(5000) }],
    ['5,001 rows', { rows: phones(5001) }],
    ['no rows', { rows: [] }],
    ['rows not an array', { rows: 'nope' }],
    ['no rows key', { source: 'csv' }],
    ['an unknown key', { rows: phones(1), extra: 1 }],
    ['a bad onDuplicate', { rows: phones(1), onDuplicate: 'merge' }],
    ['a source too long', { rows: phones(1), source: 'x'.repeat(101) }],
    ['a row that is a number', { rows: [...phones(2), 7] }],
    ['rows that are an array, null and a string', { rows: [[], ...phones(600), null, 'row'] }],
    ['a bad row and a bad envelope', { rows: [...phones(1), 1], onDuplicate: 'merge', extra: true }],
    ['not an object', ['rows']],
    ['null', null],
  ])('answers like the one-go parse: %s', async (_, raw) => {
    expect(await sliced(raw)).toEqual(oneGo(raw));
  });

  it('gives the event loop turns while it checks 5,000 rows', async () => {
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    // Getters note the loop's turn when the check reads the first and the last row.
    const seen: number[] = [];
    const watched = (): Record<string, unknown> =>
      Object.defineProperty({}, 'phone', {
        enumerable: true,
        get: () => {
          seen.push(turns);
          return '+14155550100';
        },
      });
    const rows = [watched(), ...phones(4998), watched()];
    const body = await parseImportBody({ rows });
    ticking = false;
    expect(body.rows).toHaveLength(5000);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBeGreaterThan(seen[0]!);
  });
});
