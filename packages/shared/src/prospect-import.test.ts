import { describe, expect, it } from 'vitest';
import {
  IMPORT_FIELDS,
  IMPORT_HEADER_ALIASES,
  importColumn,
  normalizeHeader,
  normalizeStatus,
} from './prospect-import.ts';

describe('CSV import vocabulary', () => {
  it('normalises headers to one form', () => {
    expect(normalizeHeader(' E-Mail_Address ')).toBe('e_mail_address');
    expect(normalizeHeader('Phone  Number')).toBe('phone_number');
    expect(normalizeHeader('Company.Name')).toBe('company_name');
  });

  it('knows every spelling the dashboard and the server used to know', () => {
    expect(importColumn('Firm')).toEqual({ field: 'company' });
    expect(importColumn('Work Phone')).toEqual({ field: 'phone' });
    expect(importColumn('Lead Source')).toEqual({ field: 'source' });
    expect(importColumn('E-mail address')).toEqual({ field: 'email' });
    expect(importColumn('Family_Name')).toEqual({ namePart: 'last' });
    expect(importColumn('Given name')).toEqual({ namePart: 'first' });
    expect(importColumn('Favourite colour')).toBeUndefined();
  });

  it('lists each field under its own name, in normalised form', () => {
    for (const field of IMPORT_FIELDS) {
      expect(importColumn(field)).toEqual({ field });
      for (const alias of IMPORT_HEADER_ALIASES[field]) expect(normalizeHeader(alias)).toBe(alias);
    }
  });

  it('normalises statuses it knows and leaves others as typed', () => {
    expect(normalizeStatus('Meeting Scheduled')).toBe('meeting_scheduled');
    expect(normalizeStatus('do-not-call')).toBe('do_not_call');
    expect(normalizeStatus(' Hot lead ')).toBe('Hot lead');
    expect(normalizeStatus('Contacted', ['new'])).toBe('Contacted');
  });
});
