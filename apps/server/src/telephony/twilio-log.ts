/**
 * Log fields for a Twilio REST failure. Twilio's messages can quote phone numbers ("Invalid
 * 'To' Phone Number: +1…"), so the message goes under `pii` (redacted in production) and only
 * the status and Twilio's error code are always visible.
 */
import type { TwilioFailure } from './rest-client.ts';

export function twilioLogFields(failure: TwilioFailure): Record<string, unknown> {
  return { twilio: { status: failure.status, code: failure.code }, pii: { message: failure.message } };
}
