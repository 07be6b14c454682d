/**
 * Call control for a live Twilio call, used by tools (end_call, transfer_call) and the
 * dashboard's hang-up: Twilio REST with the organization's credentials. When REST is not
 * available, hanging up falls back to closing the media socket: Twilio then runs the
 * `<Redirect>` after `<Connect>`, and /api/twiml/stream-ended hangs up (a deliberate end).
 */
import type { CallControlHooks } from '@switchboard/voice';
import type { CallRecorder } from '../call-record/recorder.ts';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import { resolveCredentials, type TwilioCredentials } from '../services/resolve-credentials.ts';
import { describeTwilioError, type TwilioClient, twilioRestClient } from '../telephony/rest-client.ts';

type Ctx = Pick<AppContext, 'db' | 'config' | 'secrets' | 'log'>;

/** The organization's Twilio REST client; `known`: its credentials when already read. */
export async function twilioClientFor(
  ctx: Ctx,
  organizationId: string,
  known?: TwilioCredentials,
): Promise<TwilioClient | null> {
  const creds = known ?? (await resolveCredentials(ctx, organizationId)).twilio;
  if (!creds?.accountSid || !creds.authToken) return null;
  return twilioRestClient(creds, ctx.config.twilio.apiBaseUrl);
}

export function twilioCallControl(
  ctx: Ctx,
  call: CallRow,
  recorder: CallRecorder,
  closeStream: () => void,
): CallControlHooks {
  const sid = call.providerCallSid;
  return {
    async hangup(reason) {
      // Written first so the stream-ended fallback knows this was deliberate.
      await recorder.update({ endReason: 'agent_hangup' });
      recorder.event('hangup', { reason });
      const client = await twilioClientFor(ctx, call.organizationId).catch(() => null);
      if (client && sid) {
        try {
          await client.calls(sid).update({ status: 'completed' });
          return;
        } catch (error) {
          ctx.log.warn(
            { callId: call.id, twilio: describeTwilioError(error) },
            'REST hang-up failed; closing the stream',
          );
        }
      }
      closeStream();
    },
    async redirect(twiml) {
      const client = await twilioClientFor(ctx, call.organizationId);
      if (!client || !sid) throw new Error('Twilio credentials are not configured; cannot redirect the call');
      try {
        await client.calls(sid).update({ twiml });
      } catch (error) {
        const failure = describeTwilioError(error);
        throw new Error(`Twilio refused to redirect the call: ${failure.message}`);
      }
    },
  };
}
