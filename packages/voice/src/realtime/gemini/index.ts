export { GeminiLiveModel, type GeminiLiveModelOptions } from './model.ts';
export {
  activityDetection,
  buildGeminiUrl,
  buildSetup,
  DEFAULT_COMPRESSION as GEMINI_DEFAULT_COMPRESSION,
  GEMINI_BASE_URL,
  GEMINI_CAPABILITIES,
  GEMINI_DEFAULT_VOICE,
  type GeminiCompression,
} from './protocol.ts';
export { GeminiLiveSession, type GeminiSessionEvents } from './session.ts';
