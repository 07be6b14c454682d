import { describe, expect, it } from 'vitest';
import {
  IMPORT_FIELDS,
  IMPORT_HEADER_ALIASES,
  importColumn,
  normalizeHeader,
  normalizeStatus,
} from './prospect-import.ts';

describe('CSV import vocabulary', () => {
  it.each([
    [' E-Mail_Address ', 'e_mail_address'],
    ['Phone  Number', 'phone_number'],
    ['Company.Name', 'company_name'],
  ])('normalises the header %j to %j', (header, key) => {
    expect(normalizeHeader(header)).toBe(key);
  });

  // Spellings only one side used to know: firm and work phone (dashboard), source and
  // family_name (server), plus the usual ones.
  it.each([
    ['Firm', { field: 'company' }],
    ['Work Phone', { field: 'phone' }],
    ['Lead Source', { field: 'source' }],
    ['E-mail address', { field: 'email' }],
    ['Family_Name', { namePart: 'last' }],
    ['Given name', { namePart: 'first' }],
    ['Favourite colour', undefined],
  ])('maps the column %j', (header, column) => {
    expect(importColumn(header)).toEqual(column);
  });

  it('lists each field under its own name, in normalised form', () => {
    for (const field of IMPORT_FIELDS) {
      expect(importColumn(field)).toEqual({ field });
      for (const alias of IMPORT_HEADER_ALIASES[field]) expect(normalizeHeader(alias)).toBe(alias);
    }
  });

  it.each([
    ['Meeting Scheduled', undefined, 'meeting_scheduled'],
    ['do-not-call', undefined, 'do_not_call'],
    [' Hot lead ', undefined, 'Hot lead'],
    ['Contacted', ['new'], 'Contacted'],
  ])('normalises the status %j (known: %j) to %j', (value, known, status) => {
    expect(normalizeStatus(value, known)).toBe(status);
  });
});
