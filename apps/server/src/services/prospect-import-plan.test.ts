import { describe, expect, it } from 'vitest';
import { planImport } from './prospect-import-plan.ts';
import type { ImportCandidate } from './prospect-import-rows.ts';

const row = (n: number, phone: string, company: string): ImportCandidate => ({
  row: n,
  data: { phone, company, contact: '', status: 'new', notes: '', source: 'csv' } as ImportCandidate['data'],
  present: ['phone', 'company'],
});

describe('planImport', () => {
  const rows = [row(1, '+14155550100', 'A'), row(2, '+14155550101', 'B'), row(3, '+14155550100', 'A again')];
  const existing = new Map([['+14155550101', 'p-1']]);

  it('lists duplicates in the organization and within the file, and skips them', () => {
    const plan = planImport(rows, existing, 'skip');
    expect(plan.counts).toEqual({ created: 1, updated: 0, skipped: 2 });
    expect(plan.duplicates).toEqual([
      { row: 2, phone: '+14155550101', reason: 'exists', existingId: 'p-1' },
      { row: 3, phone: '+14155550100', reason: 'repeated', firstRow: 1 },
    ]);
    expect(plan.toUpdate.size).toBe(0);
  });

  it('updates duplicates with only the cells the row filled in', () => {
    const plan = planImport(rows, existing, 'update');
    expect(plan.counts).toEqual({ created: 1, updated: 2, skipped: 0 });
    expect(plan.toUpdate.get('p-1')).toEqual({ phone: '+14155550101', company: 'B' });
    expect(plan.toCreate.get('+14155550100')?.company).toBe('A again');
  });
});
