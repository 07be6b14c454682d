export { OpenAIRealtimeModel, type OpenAIRealtimeModelOptions } from './model.ts';
export {
  buildRealtimeUrl,
  buildSessionUpdate,
  OPENAI_CAPABILITIES,
  OPENAI_DEFAULT_TRANSCRIPTION_MODEL,
  OPENAI_DEFAULT_VOICE,
  OPENAI_REALTIME_URL,
  turnDetection,
} from './protocol.ts';
export { OpenAIRealtimeSession } from './session.ts';
