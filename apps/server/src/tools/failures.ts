/**
 * Tools report problems the model should hear about (a conflict, an unset integration, Twilio's
 * refusal) as `ToolFailure`s with the service's message and details; anything else thrown
 * becomes the registry's generic "the tool failed" (details only in the server log).
 */
import { ToolFailure } from '@switchboard/voice';
import { AppError } from '../errors.ts';

export async function forModel<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError) throw new ToolFailure(error.message, error.details);
    throw error;
  }
}

/**
 * A tool that needs a phone line (texting the caller, transferring) was called on a browser
 * test call: `details.reason` is `no_phone_line`, so the dashboard and the model can tell.
 */
export function noPhoneLine(message: string): ToolFailure {
  return new ToolFailure(message, { reason: 'no_phone_line', direction: 'web' });
}

/** "Tuesday, March 10 at 2:00 PM" in the zone, for the agent to read out. */
export function spoken(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  })
    .format(instant)
    .replace(/, (\d{1,2}:\d{2})/, ' at $1');
}
