/**
 * A transfer nobody answered brings the caller back to the AI on a new media stream (the
 * `<Dial action>` answer, services/apply-transfer-outcome.ts). That stream carries these
 * `<Parameter>`s; its agent starts with an apology instead of the greeting and cannot transfer
 * again by itself (the caller was just returned from it).
 */

/** `<Parameter name="resume">` of a stream that continues a call after a failed transfer. */
export const RESUME_AFTER_TRANSFER = 'transfer_failed';

export interface ResumeAfterTransfer {
  /** Twilio's DialCallStatus of the transfer (`busy`, `no-answer`, …). */
  transferStatus: string | undefined;
}

const GREETINGS: Record<string, string> = {
  busy: "I'm sorry, the line was busy. I can take a message, or is there anything else I can help with?",
  'no-answer':
    "I'm sorry, nobody could pick up right now. I can take a message, or is there anything else I can help with?",
};
const GREETING =
  "I'm sorry, I couldn't connect you. I can take a message, or is there anything else I can help with?";

/** The `<Parameter>`s of the resumed stream's TwiML. */
export function resumeParameters(transferStatus: string): Record<string, string> {
  return { resume: RESUME_AFTER_TRANSFER, transferStatus };
}

/** What a stream's `<Parameter>`s say about resuming; null for a first stream. */
export function resumeOf(parameters: Record<string, string>): ResumeAfterTransfer | null {
  return parameters.resume === RESUME_AFTER_TRANSFER ? { transferStatus: parameters.transferStatus } : null;
}

/** What the agent says first on a resumed stream. */
export function resumeGreeting(resume: ResumeAfterTransfer): string {
  return GREETINGS[resume.transferStatus ?? ''] ?? GREETING;
}
