/**
 * TwiML of a transfer to a human. Cold: `<Dial>` the number. Warm: the same, with a whisper URL
 * on `<Number>` — Twilio plays the TwiML it returns (the call summary) to the person who
 * answers, before connecting the caller. The `<Dial action>` callback reports whether anyone
 * answered, so a failed transfer can bring the caller back to the AI.
 */
import twilio from 'twilio';

/** Seconds the human's phone rings before the transfer counts as unanswered. */
export const TRANSFER_RING_TIMEOUT_S = 20;
const VOICE = 'Polly.Joanna';

export function transferTwiml(options: {
  number: string;
  /** `<Dial action>`: where Twilio reports DialCallStatus. */
  actionUrl?: string | undefined;
  /** Warm transfer: TwiML URL played to the human first. */
  whisperUrl?: string | undefined;
  timeoutS?: number;
}): string {
  const response = new twilio.twiml.VoiceResponse();
  const dial = response.dial({
    timeout: options.timeoutS ?? TRANSFER_RING_TIMEOUT_S,
    answerOnBridge: true,
    ...(options.actionUrl ? { action: options.actionUrl, method: 'POST' as const } : {}),
  });
  dial.number(options.whisperUrl ? { url: options.whisperUrl, method: 'POST' } : {}, options.number);
  return response.toString();
}

/** What the human hears before being connected. */
export function whisperTwiml(summary: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say({ voice: VOICE }, `Incoming transfer from the AI assistant. ${summary}`);
  return response.toString();
}
