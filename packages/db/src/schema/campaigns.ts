/** The compliance ledger: every decision the dialer made to dial or skip a campaign prospect, and why. */
import { bigserial, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId } from './columns.ts';
import { campaigns, prospects } from './crm.ts';

export const campaignLedger = pgTable(
  'campaign_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    organizationId: orgId(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    prospectId: uuid('prospect_id').references(() => prospects.id, { onDelete: 'set null' }),
    phone: text('phone').notNull(),
    decision: text('decision').$type<'dial' | 'skip' | 'defer'>().notNull(),
    /** The rule that decided: `allowed`, `do_not_call_list`, `prospect_do_not_call`, `outside_window`, … */
    rule: text('rule').notNull(),
    /** Wall-clock time at the prospect when deciding, ISO 8601 with its offset. */
    localTime: text('local_time').notNull(),
    callId: uuid('call_id'),
    createdAt: createdAt(),
  },
  (t) => [index('campaign_ledger_campaign_idx').on(t.campaignId, t.id)],
);
