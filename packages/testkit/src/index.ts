// @switchboard/testkit — faithful local fakes of Twilio and OpenAI Realtime (docs/testkit.md).

export { makeDocx, makePdf } from './documents.ts';
export { type FakeEmbeddings, fakeEmbedding, startFakeEmbeddings } from './embeddings.ts';
export {
  type FakeGeminiLive,
  type FakeGeminiLiveEvents,
  LIVE_METHOD,
  startFakeGeminiLive,
} from './gemini/server.ts';
export type { FakeGeminiSession } from './gemini/session.ts';
export type { GeminiSetup, SetupFailure } from './gemini/setup.ts';
export type {
  FakeGeminiLiveOptions,
  GeminiClientRecord,
  GeminiToolCallRecord,
  GeminiToolResponseRecord,
  GeminiTurnRecord,
  GeminiVadTuning,
} from './gemini/types.ts';
export {
  type FakeMcpCall,
  type FakeMcpMode,
  type FakeMcpServer,
  HUGE_RESULT_CHARS,
  startFakeMcpServer,
} from './mcp-server.ts';
export type { AudioFormat, RealtimeSessionConfig, TurnDetection } from './openai/config.ts';
export type { RealtimeErrorBody } from './openai/errors.ts';
export {
  type FakeOpenAIRealtime,
  type FakeOpenAIRealtimeEvents,
  startFakeOpenAIRealtime,
} from './openai/server.ts';
export type { FakeRealtimeSession } from './openai/session.ts';
export { RealtimeTestClient, type ServerEvent } from './openai/test-client.ts';
export type {
  CancelRecord,
  ClientEventRecord,
  FakeOpenAIRealtimeOptions,
  ResponseRecord,
  ScriptSay,
  ScriptTurn,
  SpeechStartRecord,
  TruncationRecord,
} from './openai/types.ts';
export type { VadTuning } from './openai/vad.ts';
export { readTag, TAG_BYTES, TagClock, TagScanner, tagFrame, wallClockMs } from './tagging.ts';
export { type FakeGeminiText, type FakeGeminiTextOptions, startFakeGeminiText } from './text/gemini-text.ts';
export type { QueuedFailure, RecordedTextRequest } from './text/http-fake.ts';
export { type FakeOpenAIChat, type FakeOpenAIChatOptions, startFakeOpenAIChat } from './text/openai-chat.ts';
export type {
  TextConversation,
  TextFakeError,
  TextMatcher,
  TextReply,
  TextScriptTurn,
} from './text/script.ts';
export { type InboundCall, type InboundCallOptions, startInboundCall } from './twilio/call.ts';
export { MediaStreamClient, type MediaStreamClientOptions } from './twilio/media-stream-client.ts';
export type {
  CloseInfo,
  MediaStreamEvents,
  ReceivedMessage,
  StreamViolation,
  TwilioStartInfo,
} from './twilio/media-stream-types.ts';
export type { PlayoutMode } from './twilio/playout.ts';
export { redirectTwilioHttpClient, type TwilioHttpClientLike } from './twilio/rest-client.ts';
export {
  type FakeCall,
  type RestFailure,
  startTwilioRestFake,
  type TwilioRestFake,
  type TwilioRestFakeEvents,
  type TwilioRestFakeOptions,
  type TwilioRestRequest,
} from './twilio/rest-fake.ts';
export type { PhoneNumberResource } from './twilio/rest-numbers.ts';
export type { CallResource, MessageResource, TwilioRestError } from './twilio/rest-resources.ts';
export { encodeForm, parseForm, type TwilioParams, twilioSignature } from './twilio/signature.ts';
export type { SentStatusCallback, StatusCallbackSubscription } from './twilio/status-callbacks.ts';
export {
  findAllTwiml,
  findTwiml,
  type ParsedTwiml,
  parseTwiml,
  type TwimlNode,
  type TwimlProblem,
  type TwimlStream,
} from './twilio/twiml.ts';
export {
  type AnsweredBy,
  type CallStatus,
  defaultVoiceParams,
  rfc2822,
  sendAmdCallback,
  sendStatusCallback,
  sendStreamStatusCallback,
  sendTwilioRequest,
  sendVoiceWebhook,
  type WebhookOptions,
  type WebhookResult,
} from './twilio/webhook.ts';
export { linearToMulaw, MULAW_TO_LINEAR, mulawSilence, mulawTone } from './util/g711.ts';
export { openAiId, twilioSid } from './util/ids.ts';
