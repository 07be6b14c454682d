import { normalizeHeader } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { mapImportRow } from './prospect-import-columns.ts';

describe('CSV column mapping', () => {
  it('normalises headers', () => {
    expect(normalizeHeader(' Phone Number ')).toBe('phone_number');
    expect(normalizeHeader('E-Mail')).toBe('e_mail');
    expect(normalizeHeader('Company.Name')).toBe('company_name');
  });

  it('accepts common aliases and ignores unknown columns', () => {
    expect(
      mapImportRow({
        Name: 'Ada',
        'Phone Number': '415 555 0100',
        Organization: 'Acme',
        Email: '',
        Revenue: '1M',
      }),
    ).toEqual({ values: { contact: 'Ada', phone: '415 555 0100', company: 'Acme' }, invalid: [] });
    expect(mapImportRow({ first_name: 'Grace', 'Last Name': 'Hopper', mobile: 4155550100 }).values).toEqual({
      contact: 'Grace Hopper',
      phone: '4155550100',
    });
  });

  it('normalises status labels and reports non-text cells', () => {
    expect(mapImportRow({ phone: '+1', Status: 'Meeting Scheduled' }).values.status).toBe(
      'meeting_scheduled',
    );
    expect(mapImportRow({ phone: '+1', status: 'Hot lead' }).values.status).toBe('Hot lead');
    expect(mapImportRow({ phone: { nested: true } }).invalid).toEqual([
      { field: 'phone', message: 'must be text' },
    ]);
  });
});
