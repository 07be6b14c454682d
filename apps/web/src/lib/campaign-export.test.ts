import { describe, expect, it } from 'vitest';
import { campaignCsv } from './campaign-export.ts';

describe('campaign results CSV', () => {
  it('writes one row per prospect, quoted where needed, formulas neutralised', () => {
    const csv = campaignCsv([
      {
        prospectId: 'p1',
        contact: 'Lovelace, Ada',
        company: '=HYPERLINK("x")',
        phone: '+14155550101',
        timezone: null,
        state: 'done',
        attempts: 2,
        nextAttemptAt: null,
        lastDisposition: 'meeting_booked',
        lastCallId: 'c1',
        skipReason: null,
      },
    ]);
    const [head, row] = csv.split('\n');
    expect(head).toBe(
      'prospectId,contact,company,phone,timezone,state,attempts,nextAttemptAt,lastDisposition,lastCallId,skipReason',
    );
    expect(row).toBe('p1,"Lovelace, Ada","\'=HYPERLINK(""x"")",+14155550101,,done,2,,meeting_booked,c1,');
  });
});
