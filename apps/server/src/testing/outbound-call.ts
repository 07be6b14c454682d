/**
 * Drives an outbound call the way Twilio would after `calls.create`: the REST fake holds the
 * request (Url, StatusCallback, AsyncAmdStatusCallback with `?callId=`), and these helpers send
 * the signed webhooks and callbacks to those URLs on the local server.
 */
import {
  type AnsweredBy,
  type CallStatus,
  type FakeCall,
  type InboundCall,
  sendAmdCallback,
  sendStatusCallback,
  sendVoiceWebhook,
  startInboundCall,
  type WebhookResult,
} from '@switchboard/testkit';
import { formatInZone, parseLocalDate, weekdayOf, zonedToInstant } from '../calendar/zoned-time.ts';
import { PUBLIC_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, type VoiceHarness } from './voice-harness.ts';

/** The public URL Twilio was given, and where it really goes on the test server. */
export function twilioUrl(h: VoiceHarness, publicUrl: string): { url: string; signatureUrl: string } {
  return { url: publicUrl.replace(PUBLIC_URL, h.base), signatureUrl: publicUrl };
}

/** The REST fake's record of the call created for our call row. */
export function createdCall(h: VoiceHarness, callId: string): FakeCall {
  const call = [...h.rest.calls.values()].find((c) => String(c.params.Url).endsWith(`callId=${callId}`));
  if (!call) throw new Error(`Twilio was not asked to place call ${callId}`);
  return call;
}

/** The callee picks up: the voice webhook, then the media stream. */
export function answer(h: VoiceHarness, call: FakeCall): Promise<InboundCall> {
  return startInboundCall({
    ...twilioUrl(h, String(call.params.Url)),
    authToken: TWILIO_AUTH_TOKEN,
    params: {
      CallSid: call.sid,
      AccountSid: TWILIO_ACCOUNT_SID,
      From: String(call.params.From),
      To: String(call.params.To),
      Direction: 'outbound-api',
      CallStatus: 'in-progress',
    },
  });
}

export function status(
  h: VoiceHarness,
  call: FakeCall,
  callStatus: CallStatus,
  sequenceNumber: number,
  callDuration?: number,
): Promise<WebhookResult> {
  return sendStatusCallback({
    ...twilioUrl(h, String(call.params.StatusCallback)),
    authToken: TWILIO_AUTH_TOKEN,
    callStatus,
    sequenceNumber,
    ...(callDuration === undefined ? {} : { callDuration }),
    params: {
      CallSid: call.sid,
      AccountSid: TWILIO_ACCOUNT_SID,
      Direction: 'outbound-api',
      From: String(call.params.From),
      To: String(call.params.To),
    },
  });
}

export function amd(h: VoiceHarness, call: FakeCall, answeredBy: AnsweredBy): Promise<WebhookResult> {
  return sendAmdCallback({
    ...twilioUrl(h, String(call.params.AsyncAmdStatusCallback)),
    authToken: TWILIO_AUTH_TOKEN,
    answeredBy,
    params: { CallSid: call.sid, AccountSid: TWILIO_ACCOUNT_SID },
  });
}

/** A signed Twilio request to one of our callback URLs (whisper, `<Dial action>`). */
export function callback(
  h: VoiceHarness,
  publicUrl: string,
  params: Record<string, string>,
): Promise<WebhookResult> {
  return sendVoiceWebhook({ ...twilioUrl(h, publicUrl), authToken: TWILIO_AUTH_TOKEN, params });
}

/** The next weekday at least two days ahead, at `hour`:00 local time, as ISO 8601 with offset. */
export function nextWeekdayAt(hour: number, timeZone: string, now = new Date()): string {
  for (let days = 2; ; days++) {
    const date = parseLocalDate(
      formatInZone(new Date(now.getTime() + days * 86_400_000), timeZone).slice(0, 10),
    )!;
    const weekday = weekdayOf(date);
    if (weekday >= 1 && weekday <= 5)
      return formatInZone(zonedToInstant(date, hour * 60, timeZone), timeZone);
  }
}
