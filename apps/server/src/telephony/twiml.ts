/**
 * TwiML documents the server answers with, built with the official SDK (which escapes XML).
 * `<Connect><Stream>` is bidirectional; data for the stream travels in `<Parameter>`s because
 * Twilio forbids a query string on the stream URL (protocols.md §1.2).
 */
import twilio from 'twilio';

const VOICE = 'Polly.Joanna';

/** `wss://host/api/audiostream` from the public https base URL. */
export function streamUrl(publicUrl: string): string {
  return `${publicUrl.replace(/^http/, 'ws')}/api/audiostream`;
}

export function connectStreamTwiml(url: string, parameters: Record<string, string>): string {
  const response = new twilio.twiml.VoiceResponse();
  const stream = response.connect().stream({ url });
  for (const [name, value] of Object.entries(parameters)) stream.parameter({ name, value });
  return response.toString();
}

export function sayAndHangupTwiml(text: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say({ voice: VOICE }, text);
  response.hangup();
  return response.toString();
}

/**
 * What a caller hears when the AI cannot continue: an apology, then a recorded message
 * (stored on the call through the recording callback), then goodbye.
 */
export function apologyTwiml(recordingCallbackUrl: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(
    { voice: VOICE },
    "We're sorry, our assistant is having technical trouble right now. Please leave a short message after the tone and we'll call you back.",
  );
  response.record({
    maxLength: 120,
    playBeep: true,
    timeout: 5,
    recordingStatusCallback: recordingCallbackUrl,
    recordingStatusCallbackMethod: 'POST',
  });
  response.say({ voice: VOICE }, 'Thank you. Goodbye.');
  response.hangup();
  return response.toString();
}

export const UNKNOWN_NUMBER_MESSAGE =
  'Thank you for calling. This number is not connected to an assistant yet. Goodbye.';
