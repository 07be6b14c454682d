/** A campaign call answered by a machine: hang up instead of leaving a voicemail when the campaign says so. */
import { campaigns, type DbOrTx } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { readSettings } from './settings.ts';

export async function campaignHangsUpOnVoicemail(
  db: DbOrTx,
  call: { organizationId: string; campaignId: string | null },
): Promise<boolean> {
  if (!call.campaignId) return false;
  const [row] = await db
    .select({ settings: campaigns.settings })
    .from(campaigns)
    .where(and(eq(campaigns.organizationId, call.organizationId), eq(campaigns.id, call.campaignId)));
  return row ? readSettings(row).voicemail === 'hangup' : false;
}
