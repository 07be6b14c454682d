/**
 * A campaign call's outcome can be known only after the post-call analysis (an answered call's
 * disposition comes from the model). The dialer applies the outcome when the call becomes final;
 * when the analysis finishes later, this brings the campaign prospect's last outcome up to date
 * and lists the number when the person asked not to be called.
 */
import { campaignProspects, type DbOrTx } from '@switchboard/db';
import { and, eq, ne } from 'drizzle-orm';
import type { CallRow } from '../mappers/calls.ts';
import { addDoNotCall } from '../services/do-not-call.ts';

export async function applyAnalysedOutcome(db: DbOrTx, call: CallRow): Promise<void> {
  if (!call.campaignId || !call.disposition) return;
  const updated = await db
    .update(campaignProspects)
    .set({ lastOutcome: call.disposition })
    .where(
      and(
        eq(campaignProspects.organizationId, call.organizationId),
        eq(campaignProspects.lastCallId, call.id),
        ne(campaignProspects.state, 'dialing'),
      ),
    )
    .returning({ id: campaignProspects.id });
  if (updated.length > 0 && call.disposition === 'do_not_call') {
    await addDoNotCall(db, {
      organizationId: call.organizationId,
      phone: call.to,
      reason: 'Asked not to be called (call outcome)',
      source: 'opt_out',
    });
  }
}
