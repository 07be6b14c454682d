/** The `twilio_webhook` checklist item, in plain words, from what Twilio said about the numbers. */
import type { SetupItem } from '@switchboard/shared';
import { expectedWebhooks, notInAccount, type WebhookCheck } from './twilio-webhook.ts';

const BASE = { id: 'twilio_webhook' as const, title: 'Calls routed to this server' };

/** `check` is null while Twilio, a bound number or the https public address is still missing. */
export function twilioWebhookItem(publicUrl: string | undefined, check: WebhookCheck | null): SetupItem {
  if (!check || !publicUrl) {
    return {
      ...BASE,
      optional: false,
      ok: false,
      message:
        'Checked once Twilio, a phone number and the https public address are set: then your number can be pointed here with one click.',
      action: null,
    };
  }
  const want = expectedWebhooks(publicUrl);
  if (check.kind === 'unreadable') {
    // Twilio could not be asked (down, or a key without this permission): say how to check by
    // hand, without holding the whole checklist back on it.
    return {
      ...BASE,
      optional: true,
      ok: false,
      message: `Could not read your numbers' settings from Twilio (${check.message}). In the Twilio console, set each number's "A call comes in" webhook to ${want.voiceUrl} (HTTP POST) and its call status callback to ${want.statusCallback}.`,
      action: '/settings/integrations',
    };
  }
  const problems = check.numbers.flatMap((n) => {
    if (n.state === 'ok') return [];
    if (n.state === 'not_in_account') return [notInAccount(n.e164)];
    const where = n.voiceUrl ? `go to ${n.voiceUrl}` : 'go nowhere (no webhook is set)';
    const status = n.statusCallback === want.statusCallback ? '' : ' and its status callback is not set here';
    return [
      n.voiceUrl === want.voiceUrl
        ? `${n.e164} reaches this server but its status callback is not set here.`
        : `Calls to ${n.e164} ${where}${status}.`,
    ];
  });
  if (problems.length === 0) {
    const list = check.numbers.map((n) => n.e164).join(', ');
    return {
      ...BASE,
      optional: false,
      ok: true,
      message: `Calls to ${list} reach this server, with status callbacks.`,
      action: null,
    };
  }
  const fixable = check.numbers.some((n) => n.state === 'elsewhere');
  return {
    ...BASE,
    optional: false,
    ok: false,
    message: `${problems.join(' ')}${fixable ? ' Press "Point my numbers here" to set them.' : ''}`,
    action: '/settings/integrations',
    ...(fixable ? { fix: 'twilio_webhook' as const } : {}),
  };
}
