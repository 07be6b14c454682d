import { isFinalCallStatus } from '@switchboard/shared';
import type { LiveCallRegistry } from '../calls/live-registry.ts';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import type { IntegrationDeps } from '../integrations/settings.ts';
import { describeTwilioError, twilioRestClient } from '../telephony/rest-client.ts';
import { getCall } from './get-call.ts';
import { resolveCredentials } from './resolve-credentials.ts';

export type HangupDeps = ServiceDeps & Omit<IntegrationDeps, 'db' | 'log'> & { liveCalls: LiveCallRegistry };

/**
 * Ends a call from the dashboard. The process holding the call's media stream hangs up
 * itself; any other process asks Twilio (REST, the organization's credentials) to complete the
 * call, and Twilio's status callback then records the end. 404 for another organization's call,
 * 409 when the call has already ended or cannot be reached.
 */
export async function hangupCall(
  deps: HangupDeps,
  input: { organizationId: string; id: string },
): Promise<{ via: 'local' | 'twilio' }> {
  const call = await getCall(deps, input);
  const local = deps.liveCalls.get(input.organizationId, call.id);
  if (local) {
    await local.hangup('dashboard');
    return { via: 'local' };
  }
  if (isFinalCallStatus(call.status)) {
    throw new AppError('conflict', `The call has already ended (${call.status})`);
  }
  if (!call.providerCallSid) {
    throw new AppError(
      'conflict',
      'The call is not running on this server and has no Twilio call to hang up',
    );
  }
  const twilio = (await resolveCredentials(deps, input.organizationId)).twilio;
  if (!twilio) throw new AppError('conflict', 'Twilio is not configured; cannot hang up the call');
  try {
    await twilioRestClient(twilio, deps.config.twilio.apiBaseUrl)
      .calls(call.providerCallSid)
      .update({ status: 'completed' });
  } catch (error) {
    const failure = describeTwilioError(error);
    deps.log.warn({ callId: call.id, twilio: failure }, 'Twilio REST hang-up failed');
    if (failure.status && failure.status < 500) {
      throw new AppError('conflict', `Twilio refused to hang up the call: ${failure.message}`);
    }
    throw new AppError('service_unavailable', 'Twilio did not answer; try again');
  }
  return { via: 'twilio' };
}
