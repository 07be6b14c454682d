/**
 * @switchboard/voice — the call engine: a telephony transport and a realtime model joined by a
 * `CallSession`, with a tool runtime. Knows nothing about Fastify or the database; the server
 * persists the typed events. See docs/telephony.md and docs/realtime.md. Audio formats come
 * from `@switchboard/audio`; test helpers from `@switchboard/voice/testing`.
 */

export { CallSession } from './call-session.ts';
export { TypedEmitter } from './emitter.ts';
export { errorEvent, toVoiceError, VoiceError, type VoiceErrorOptions } from './errors.ts';
export {
  BRIEF_INSTRUCTION_CHARS,
  briefHead,
  type CallerContext,
  composeInstructions,
  DEFAULT_SILENCE_PROMPT,
  describeNow,
  greetingInstructions,
  type InstructionsInput,
  keyPressNote,
  MAX_PREVIOUS_CALLS,
  type PreviousCall,
} from './instructions.ts';
export {
  createRealtimeModel,
  OPENAI_SESSION_CAP_MS,
  REALTIME_PROVIDERS,
  type RealtimeModelFactoryOptions,
  type RealtimeProvider,
} from './realtime/factory.ts';
export * from './realtime/gemini/index.ts';
export {
  lifecycleEvents,
  type ResumableConnectOptions,
  type SessionLifecycleEvents,
} from './realtime/lifecycle.ts';
export * from './realtime/openai/index.ts';
export {
  type ReconnectReason,
  type ResilienceEvents,
  ResilientModel,
  type ResilientModelOptions,
} from './realtime/resilient.ts';
export type { ResilientSession, ResilientSessionEvents } from './realtime/resilient-session.ts';
export {
  CallAudioRecorder,
  type CallAudioRecorderOptions,
  type CallAudioTap,
  type RecordingSink,
} from './recording/call-audio-recorder.ts';
export {
  readWavFormat,
  WAV_HEADER_BYTES,
  type WavFormat,
  wavHeader,
  wavHeaderForFile,
} from './recording/wav.ts';
export type { LatencySummary } from './session/latency.ts';
export { DEFAULT_MAX_DURATION_MS, DEFAULT_SILENCE_TIMEOUT_MS } from './session/limits.ts';
export type {
  CallSessionEvents,
  CallSessionOptions,
  CallSetup,
  DtmfAction,
  EndReason,
  TurnLatency,
} from './session/types.ts';
export {
  BROWSER_MAX_FRAME_BYTES,
  BrowserTransport,
  type BrowserTransportOptions,
  type BrowserTransportStats,
} from './telephony/browser.ts';
export type { BrowserInbound, BrowserNotice } from './telephony/browser-messages.ts';
export { PlayoutClock, type PlayoutClockOptions } from './telephony/playout-clock.ts';
export {
  type SipCallLike,
  SipTransport,
  type SipTransportOptions,
  type SipTransportStats,
} from './telephony/sip.ts';
export {
  DEFAULT_MAX_FRAME_BYTES,
  TwilioTransport,
  type TwilioTransportOptions,
  type TwilioTransportStats,
} from './telephony/twilio.ts';
export { waitForStart } from './telephony/wait-for-start.ts';
export * from './text/index.ts';
export {
  type CallToolSource,
  DEFAULT_TOOL_TIMEOUT_MS,
  ToolFailure,
  ToolRegistry,
  toolOutputForModel,
} from './tools/registry.ts';
export type * from './types.ts';
export { addUsage, emptyUsage } from './usage.ts';
