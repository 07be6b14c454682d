/**
 * The rules every outbound text passes (services/send-sms.ts), for the agents' texts and staff's:
 * the destination's country must be allowed (SMS_ALLOWED_COUNTRIES; by default the
 * organization's default country only), an organization sends at most SMS_PER_ORG_PER_DAY texts
 * in 24 hours, and a call at most MAX_SMS_PER_CALL. The counts run inside the caller's
 * transaction after a per-organization lock, so concurrent sends cannot pass them together.
 */
import { messages } from '@switchboard/db';
import { phoneCountry } from '@switchboard/shared';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import { phoneCountryOf } from './get-business-profile.ts';

export const MAX_SMS_PER_CALL = 3;

type Deps = Pick<ServiceDeps, 'db' | 'clock'> & { config: Config };
type Tx = Parameters<Parameters<ServiceDeps['db']['transaction']>[0]>[0];

/** 403 `country_not_allowed` unless `to` is in a country texts may go to. */
export async function assertCountryAllowed(deps: Deps, organizationId: string, to: string): Promise<void> {
  const rule = deps.config.limits.smsAllowedCountries;
  if (rule === 'any') return;
  const allowed = rule === 'org' ? [await phoneCountryOf(deps.db, organizationId)] : rule;
  const country = phoneCountry(to);
  if (country && allowed.includes(country)) return;
  throw new AppError(
    'forbidden',
    `Texts to ${country ?? 'this number'} are not allowed: only ${allowed.join(', ')} numbers can be texted.`,
    { reason: 'country_not_allowed', country, allowed },
  );
}

/**
 * Takes the organization's texting lock for the transaction and checks the per-call cap (when
 * the text belongs to a call) and the organization's 24-hour cap; 429 `rate_limited` when one is
 * reached, with `details.reason` `sms_call_limit` or `sms_daily_limit`.
 */
export async function checkSmsLimits(
  deps: Deps,
  tx: Tx,
  input: { organizationId: string; callId: string | null },
): Promise<void> {
  const { organizationId, callId } = input;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`switchboard_sms:${organizationId}`}))`);
  if (callId) {
    const sent = await tx.$count(
      messages,
      and(eq(messages.organizationId, organizationId), eq(messages.callId, callId)),
    );
    if (sent >= MAX_SMS_PER_CALL) {
      throw new AppError('rate_limited', `At most ${MAX_SMS_PER_CALL} texts can be sent during one call.`, {
        reason: 'sms_call_limit',
      });
    }
  }
  const perDay = deps.config.limits.smsPerOrgPerDay;
  const since = new Date(deps.clock().getTime() - 24 * 3_600_000);
  const today = await tx.$count(
    messages,
    and(
      eq(messages.organizationId, organizationId),
      eq(messages.direction, 'outbound'),
      gt(messages.createdAt, since),
    ),
  );
  if (today >= perDay) {
    throw new AppError(
      'rate_limited',
      `The organization's limit of ${perDay} texts per day is reached; try again later.`,
      { reason: 'sms_daily_limit', limit: perDay },
    );
  }
}
