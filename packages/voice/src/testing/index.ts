/**
 * Test helpers for the voice engine and its consumers (server tests, the model conformance
 * suite, the Gemini adapter): in-memory sockets, a fake Twilio peer, a scripted model, a
 * loopback WebSocket server and a whole-call harness.
 */
export { type FakeTwilioOptions, FakeTwilioPeer, type TwilioOutbound } from './fake-twilio.ts';
export {
  type Frame,
  type LoopbackConnection,
  type LoopbackOptions,
  type LoopbackServer,
  startLoopbackServer,
} from './loopback.ts';
export {
  createLoopbackCall,
  type LoopbackCallOptions,
  type RecordedEvent,
  startLoopbackCall,
} from './loopback-call.ts';
export { createSocketPair, flushMicrotasks, MemorySocket } from './memory-socket.ts';
export {
  type RecordedCall,
  SCRIPTED_CAPABILITIES,
  ScriptedModel,
  type ScriptedModelOptions,
  ScriptedModelSession,
} from './scripted-model.ts';
