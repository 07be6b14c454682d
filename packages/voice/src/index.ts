/**
 * @switchboard/voice — the call engine: a telephony transport and a realtime model joined by a
 * `CallSession`, with a tool runtime. Knows nothing about Fastify or the database; the server
 * persists the typed events. See docs/telephony.md and docs/realtime.md.
 */

export {
  base64ByteLength,
  base64DurationMs,
  bytesToMs,
  describeFormat,
  formatIn,
  PCM16_16K,
  PCM16_24K,
  PCMA_8K,
  PCMU_8K,
  sameFormat,
} from './audio-format.ts';
export { CallSession } from './call-session.ts';
export { TypedEmitter } from './emitter.ts';
export { errorEvent, toVoiceError, VoiceError, type VoiceErrorOptions } from './errors.ts';
export {
  BRIEF_INSTRUCTION_CHARS,
  briefHead,
  type CallerContext,
  composeInstructions,
  DEFAULT_SILENCE_PROMPT,
  DEFAULT_TOOL_HINTS,
  describeNow,
  greetingInstructions,
  type InstructionsInput,
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
export { GeminiLiveModel, type GeminiLiveModelOptions } from './realtime/gemini/model.ts';
export {
  buildGeminiUrl,
  DEFAULT_COMPRESSION as GEMINI_DEFAULT_COMPRESSION,
  GEMINI_BASE_URL,
  GEMINI_CAPABILITIES,
  GEMINI_DEFAULT_VOICE,
  type GeminiCompression,
} from './realtime/gemini/protocol.ts';
export type { GeminiLiveSession, GeminiSessionEvents } from './realtime/gemini/session.ts';
export {
  lifecycleEvents,
  type ResumableConnectOptions,
  type SessionLifecycleEvents,
} from './realtime/lifecycle.ts';
export { OpenAIRealtimeModel, type OpenAIRealtimeModelOptions } from './realtime/openai.ts';
export {
  buildRealtimeUrl,
  buildSessionUpdate,
  OPENAI_CAPABILITIES,
  OPENAI_DEFAULT_TRANSCRIPTION_MODEL,
  OPENAI_DEFAULT_VOICE,
  OPENAI_REALTIME_URL,
} from './realtime/openai-protocol.ts';
export {
  type ReconnectReason,
  type ResilienceEvents,
  ResilientModel,
  type ResilientModelOptions,
} from './realtime/resilient.ts';
export type { ResilientSession, ResilientSessionEvents } from './realtime/resilient-session.ts';
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
  DEFAULT_MAX_FRAME_BYTES,
  TwilioTransport,
  type TwilioTransportOptions,
  type TwilioTransportStats,
} from './telephony/twilio.ts';
export { waitForStart } from './telephony/wait-for-start.ts';
// Test helpers (until package.json gets a "./testing" subpath export).
export * from './testing/index.ts';
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
