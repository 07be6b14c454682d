import { normalizeStatus } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { applyMapping, guessMapping, missingRequired, rowProblem } from './csv-mapping.ts';

const STATUSES = ['new', 'contacted', 'meeting_scheduled'];

describe('CSV column mapping', () => {
  it('recognises common headers and ignores the rest', () => {
    const mapping = guessMapping([
      'Company Name',
      'First Name',
      'Last Name',
      'Mobile',
      'E-mail',
      'Favourite colour',
    ]);
    expect(mapping).toEqual({
      'Company Name': 'company',
      'First Name': 'contact',
      'Last Name': 'contact',
      Mobile: 'phone',
      'E-mail': 'email',
      'Favourite colour': '',
    });
    expect(missingRequired(mapping)).toEqual([]);
  });
  it('maps a single-value field from the first matching column only', () => {
    const mapping = guessMapping(['Phone', 'Mobile']);
    expect(mapping).toEqual({ Phone: 'phone', Mobile: '' });
  });
  it('reports a missing phone column', () => {
    expect(missingRequired(guessMapping(['Company']))).toEqual(['phone']);
  });
  it('applies the mapping row by row, joining names and dropping empty values', () => {
    const rows = applyMapping(
      [
        {
          Company: ' Acme ',
          First: 'Ada',
          Last: 'Lovelace',
          Tel: '+14155550100',
          Stage: 'Meeting Scheduled',
          X: 'y',
        },
        { Company: '', First: '', Last: '', Tel: '', Stage: '', X: '' },
        { Company: 'Beta', First: 'Bob', Tel: '415 555 0101', Stage: 'hot lead' },
      ],
      { Company: 'company', First: 'contact', Last: 'contact', Tel: 'phone', Stage: 'status', X: '' },
      STATUSES,
    );
    expect(rows).toEqual([
      { company: 'Acme', contact: 'Ada Lovelace', phone: '+14155550100', status: 'meeting_scheduled' },
      {},
      { company: 'Beta', contact: 'Bob', phone: '415 555 0101', status: 'hot lead' },
    ]);
  });
  it('normalises statuses it knows', () => {
    expect(normalizeStatus('Contacted', STATUSES)).toBe('contacted');
    expect(normalizeStatus('meeting-scheduled', STATUSES)).toBe('meeting_scheduled');
    expect(normalizeStatus(' Unknown ', STATUSES)).toBe('Unknown');
  });
  it('flags obvious problems in the preview', () => {
    expect(rowProblem({ phone: '(415) 555-0100' })).toBeNull();
    // Local numbers are read in the business's country.
    expect(rowProblem({ phone: '020 7946 0018' }, 'GB')).toBeNull();
    expect(rowProblem({ phone: '020 7946 0018' })).toBe('Phone number looks invalid');
    expect(rowProblem({ company: 'x' })).toBe('No phone number');
    expect(rowProblem({ phone: '12345' })).toBe('Phone number looks invalid');
    expect(rowProblem({ phone: '+14155550100', email: 'nope' })).toBe('Email looks invalid');
  });
});
