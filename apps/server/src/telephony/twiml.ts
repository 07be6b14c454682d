/**
 * Every TwiML document the server answers with or sends to a live call, built in one place with
 * the Twilio SDK's `VoiceResponse` (which escapes XML); docs/telephony.md#twilio-webhooks-and-twiml.
 * `<Connect><Stream>` is bidirectional; data for the stream travels in `<Parameter>`s because
 * Twilio forbids a query string on the stream URL (docs/telephony.md#twiml-connect-and-stream).
 */
// The TwiML builders alone, not the SDK's entry point (which loads its REST client, axios and the
// JWT helpers: ≈ 7 MiB of heap that only the REST client, rest-client.ts, needs).
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';

const VOICE = 'Polly.Joanna';
/** Seconds the human's phone rings before a transfer counts as unanswered. */
export const TRANSFER_RING_TIMEOUT_S = 20;

export const UNKNOWN_NUMBER_MESSAGE =
  'Thank you for calling. This number is not connected to an assistant yet. Goodbye.';

const response = () => new VoiceResponse();

/** `wss://host/api/audiostream` from the public https base URL. */
export function streamUrl(publicUrl: string): string {
  return `${publicUrl.replace(/^http/, 'ws')}/api/audiostream`;
}

/**
 * The call's media stream: a bidirectional `<Connect><Stream>` whose data (the stream token,
 * resume markers) travels in `<Parameter>`s — Twilio forbids a query string on the stream URL —
 * then a `<Redirect>` to `stream-ended`, which Twilio runs only when our server closes the stream.
 */
export function callStreamTwiml(options: {
  publicUrl: string;
  callId: string;
  parameters: Record<string, string>;
}): string {
  const twiml = response();
  const stream = twiml.connect().stream({ url: streamUrl(options.publicUrl) });
  for (const [name, value] of Object.entries(options.parameters)) stream.parameter({ name, value });
  twiml.redirect({ method: 'POST' }, `${options.publicUrl}/api/twiml/stream-ended?callId=${options.callId}`);
  return twiml.toString();
}

export function hangupTwiml(): string {
  const twiml = response();
  twiml.hangup();
  return twiml.toString();
}

/** Reads `text` to the caller, then hangs up (an unknown number; a voicemail Twilio leaves for us). */
export function sayAndHangupTwiml(text: string): string {
  const twiml = response();
  twiml.say({ voice: VOICE }, text);
  twiml.hangup();
  return twiml.toString();
}

/**
 * What a caller hears when the AI cannot continue: an apology, then a recorded message
 * (stored on the call through the recording callback), then goodbye.
 */
export function apologyTwiml(recordingCallbackUrl: string): string {
  const twiml = response();
  twiml.say(
    { voice: VOICE },
    "We're sorry, our assistant is having technical trouble right now. Please leave a short message after the tone and we'll call you back.",
  );
  twiml.record({
    maxLength: 120,
    playBeep: true,
    timeout: 5,
    recordingStatusCallback: recordingCallbackUrl,
    recordingStatusCallbackMethod: 'POST',
  });
  twiml.say({ voice: VOICE }, 'Thank you. Goodbye.');
  twiml.hangup();
  return twiml.toString();
}

/**
 * A transfer to a human. Cold: `<Dial>` the number. Warm: the same, with a whisper URL on
 * `<Number>` — Twilio plays the TwiML it returns (the call summary) to the person who answers,
 * before connecting the caller. The `<Dial action>` callback reports whether anyone answered, so
 * a failed transfer can bring the caller back to the AI.
 */
export function transferTwiml(options: {
  number: string;
  /** `<Dial action>`: where Twilio reports DialCallStatus. */
  actionUrl?: string | undefined;
  /** Warm transfer: TwiML URL played to the human first. */
  whisperUrl?: string | undefined;
  timeoutS?: number;
}): string {
  const twiml = response();
  const dial = twiml.dial({
    timeout: options.timeoutS ?? TRANSFER_RING_TIMEOUT_S,
    answerOnBridge: true,
    ...(options.actionUrl ? { action: options.actionUrl, method: 'POST' as const } : {}),
  });
  dial.number(options.whisperUrl ? { url: options.whisperUrl, method: 'POST' } : {}, options.number);
  return twiml.toString();
}

/** What the human hears before being connected (warm transfer). */
export function whisperTwiml(summary: string): string {
  const twiml = response();
  twiml.say({ voice: VOICE }, `Incoming transfer from the AI assistant. ${summary}`);
  return twiml.toString();
}

/** The answer to an inbound text: no automatic reply (Twilio's opt-out handling replies to STOP/START). */
export function emptyMessagingTwiml(): string {
  return new MessagingResponse().toString();
}
