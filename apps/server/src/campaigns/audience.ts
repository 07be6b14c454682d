/** A campaign's audience (add by ids or by filter; list with per-prospect state) and its ledger. */
import { campaignLedger, campaignProspects, prospects } from '@switchboard/db';
import {
  type AddCampaignProspects,
  type CampaignProspect,
  type CampaignProspectState,
  type ImportResult,
  type LedgerEntry,
  toE164,
} from '@switchboard/shared';
import { and, asc, desc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import Papa from 'papaparse';
import type { ServiceDeps } from '../context.ts';
import { AppError, validationFailed } from '../errors.ts';
import { isoOrNull } from '../mappers/iso.ts';
import { phoneCountryOf } from '../services/get-business-profile.ts';
import { importProspects } from '../services/import-prospects.ts';
import { mapImportRow } from '../services/prospect-import-columns.ts';
import { containsPattern } from '../sql.ts';
import { getCampaign } from './manage.ts';

type Scope = { organizationId: string; campaignId: string };
const MAX_AUDIENCE = 100_000;

export async function addCampaignProspects(
  deps: ServiceDeps,
  input: Scope & { body: AddCampaignProspects },
): Promise<{ added: number; total: number; import?: ImportResult }> {
  const campaign = await getCampaign(deps, { organizationId: input.organizationId, id: input.campaignId });
  if (campaign.status === 'completed' || campaign.status === 'stopped')
    throw new AppError('conflict', `A ${campaign.status} campaign takes no new prospects.`);
  const conditions: (SQL | undefined)[] = [eq(prospects.organizationId, input.organizationId)];
  let imported: ImportResult | undefined;
  if ('csv' in input.body) {
    const parsed = Papa.parse<Record<string, string>>(input.body.csv.trim(), {
      header: true,
      skipEmptyLines: true,
    });
    if (parsed.data.length === 0) throw validationFailed([{ path: 'csv', message: 'the file has no rows' }]);
    imported = await importProspects(deps, {
      organizationId: input.organizationId,
      rows: parsed.data,
      onDuplicate: input.body.onDuplicate,
      source: 'csv',
    });
    const country = await phoneCountryOf(deps.db, input.organizationId);
    const phones = parsed.data
      .map((row) => mapImportRow(row).values.phone)
      .map((raw) => (raw ? toE164(raw, country) : null))
      .filter((p): p is string => !!p);
    conditions.push(inArray(prospects.phone, phones.length ? phones : ['']));
  } else if ('prospectIds' in input.body) {
    conditions.push(inArray(prospects.id, input.body.prospectIds));
  } else {
    const { status, source, search } = input.body.filter;
    if (status) conditions.push(eq(prospects.status, status));
    if (source) conditions.push(eq(prospects.source, source));
    if (search) {
      const pattern = containsPattern(search);
      conditions.push(
        or(
          ilike(prospects.company, pattern),
          ilike(prospects.contact, pattern),
          ilike(prospects.phone, pattern),
        ),
      );
    }
  }
  const found = await deps.db
    .select({ id: prospects.id })
    .from(prospects)
    .where(and(...conditions))
    .limit(MAX_AUDIENCE);
  if ('prospectIds' in input.body && found.length !== new Set(input.body.prospectIds).size) {
    const known = new Set(found.map((p) => p.id));
    const index = input.body.prospectIds.findIndex((id) => !known.has(id));
    throw validationFailed([
      { path: `prospectIds.${index}`, message: 'no such prospect in this organization' },
    ]);
  }
  let added = 0;
  for (let i = 0; i < found.length; i += 500) {
    const rows = await deps.db
      .insert(campaignProspects)
      .values(
        found.slice(i, i + 500).map((p) => ({
          organizationId: input.organizationId,
          campaignId: input.campaignId,
          prospectId: p.id,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: campaignProspects.id });
    added += rows.length;
  }
  const total = await deps.db.$count(
    campaignProspects,
    and(
      eq(campaignProspects.organizationId, input.organizationId),
      eq(campaignProspects.campaignId, input.campaignId),
    ),
  );
  return imported ? { added, total, import: imported } : { added, total };
}

export async function listCampaignProspects(
  deps: ServiceDeps,
  input: Scope & { state?: CampaignProspectState | undefined; limit: number; offset: number },
): Promise<{ items: CampaignProspect[]; total: number }> {
  await getCampaign(deps, { organizationId: input.organizationId, id: input.campaignId });
  const where = and(
    eq(campaignProspects.organizationId, input.organizationId),
    eq(campaignProspects.campaignId, input.campaignId),
    input.state ? eq(campaignProspects.state, input.state) : undefined,
  );
  const [rows, total] = await Promise.all([
    deps.db
      .select({ cp: campaignProspects, p: prospects })
      .from(campaignProspects)
      .innerJoin(prospects, eq(prospects.id, campaignProspects.prospectId))
      .where(where)
      .orderBy(asc(campaignProspects.id))
      .limit(input.limit)
      .offset(input.offset),
    deps.db.$count(campaignProspects, where),
  ]);
  return {
    total,
    items: rows.map(({ cp, p }) => ({
      prospectId: p.id,
      contact: p.contact,
      company: p.company,
      phone: p.phone,
      timezone: p.timezone,
      state: cp.state,
      attempts: cp.attempts,
      nextAttemptAt: isoOrNull(cp.nextAttemptAt),
      lastDisposition: cp.lastOutcome,
      lastCallId: cp.lastCallId,
      skipReason: cp.skipReason,
    })),
  };
}

export async function listLedger(
  deps: ServiceDeps,
  input: Scope & { limit: number; offset: number },
): Promise<{ items: LedgerEntry[]; total: number }> {
  await getCampaign(deps, { organizationId: input.organizationId, id: input.campaignId });
  const where = and(
    eq(campaignLedger.organizationId, input.organizationId),
    eq(campaignLedger.campaignId, input.campaignId),
  );
  const [rows, total] = await Promise.all([
    deps.db
      .select()
      .from(campaignLedger)
      .where(where)
      .orderBy(desc(campaignLedger.id))
      .limit(input.limit)
      .offset(input.offset),
    deps.db.$count(campaignLedger, where),
  ]);
  return {
    total,
    items: rows.map((r) => ({
      id: String(r.id),
      at: r.createdAt.toISOString(),
      prospectId: r.prospectId,
      phone: r.phone,
      decision: r.decision,
      rule: r.rule,
      localTime: r.localTime,
    })),
  };
}
