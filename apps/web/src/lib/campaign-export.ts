import type { CampaignProspect, ListResponse } from '@switchboard/shared';
import { api } from '../api.ts';

const COLUMNS = [
  'prospectId',
  'contact',
  'company',
  'phone',
  'timezone',
  'state',
  'attempts',
  'nextAttemptAt',
  'lastDisposition',
  'lastCallId',
  'skipReason',
] as const;

function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote when needed; a leading =, +, - or @ is neutralised so spreadsheets do not run it.
  const safe = /^[=+\-@]/.test(text) && !/^\+\d/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function campaignCsv(rows: readonly CampaignProspect[]): string {
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\n');
}

/** Fetches every prospect of the campaign (pages of 200) and downloads them as CSV. */
export async function downloadCampaignCsv(id: string, name: string): Promise<void> {
  const rows: CampaignProspect[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await api.get<ListResponse<CampaignProspect>>(`/api/campaigns/${id}/prospects`, {
      limit: 200,
      offset,
    });
    rows.push(...page.items);
    if (rows.length >= page.total || page.items.length === 0) break;
  }
  const url = URL.createObjectURL(new Blob([campaignCsv(rows)], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name.replace(/[^\w-]+/g, '-')}-results.csv`;
  link.click();
  URL.revokeObjectURL(url);
}
