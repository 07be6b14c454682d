/**
 * Pure pieces of the Gemini Live protocol on the client side
 * (docs/realtime-gemini.md#gemini-live-adapter): capabilities, the endpoint URL, the `setup`
 * message, text turns and close-code classification. Server messages are parsed in
 * `events.ts`. No I/O here.
 */
import { PCM16_16K, PCM16_24K } from '@switchboard/audio';
import { PROVIDER_FACTS } from '@switchboard/shared';
import { VoiceError } from '../../errors.ts';
import type { AudioFormat } from '../../types.ts';
import type { ModelCapabilities, ModelTuning, SessionConfig } from '../types.ts';
import { convertibleFormat } from './audio-edge.ts';
import { toGeminiSchema } from './schema.ts';

/** Production base URL (the server's `GEMINI_BASE_URL` default). */
export const GEMINI_BASE_URL = 'https://generativelanguage.googleapis.com';
export const GEMINI_API_VERSION = 'v1beta';
/** The voice used when the agent names none (the provider table in `@switchboard/shared`). */
export const GEMINI_DEFAULT_VOICE = PROVIDER_FACTS.gemini.defaultVoice;
export const GEMINI_INPUT_MIME = 'audio/pcm;rate=16000';

export const GEMINI_CAPABILITIES: ModelCapabilities = Object.freeze({
  // No `truncate`: Gemini assumes realtime playback and keeps its own conversation state.
  truncation: false,
  // Automatic activity detection runs server-side; it surfaces only as `interrupted`.
  serverVad: true,
  inputFormats: [PCM16_16K],
  outputFormat: PCM16_24K,
  // After a `toolResponse` the model continues the turn by itself.
  autoReplyAfterToolResult: true,
  sessionResumption: true,
});

/**
 * Formats the adapter takes and gives (audio-edge.ts): the native ones, and any mono G.711
 * 8 kHz or PCM16 8/16/24 kHz stream converted at its edge (Twilio µ-law, browser PCM16 24 kHz).
 */
export function supportedInput(format: AudioFormat): boolean {
  return convertibleFormat(format);
}
export function supportedOutput(format: AudioFormat): boolean {
  return convertibleFormat(format);
}

/**
 * The `BidiGenerateContent` WebSocket URL for `base` (http(s) or ws(s), with or without a path). A
 * base that already names the endpoint is used as is. Built with a single `/ws/…` (the SDK's
 * `//ws/…` is an artefact of its string joining, docs/realtime-gemini.md#gemini-traps). Keys
 * starting with `auth_tokens/` are ephemeral tokens: constrained endpoint, `access_token`
 * parameter.
 */
export function buildGeminiUrl(base: string, apiKey: string, apiVersion = GEMINI_API_VERSION): string {
  const url = new URL(base);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  const ephemeral = apiKey.startsWith('auth_tokens/');
  if (!/BidiGenerateContent(Constrained)?$/.test(url.pathname)) {
    const method = ephemeral
      ? 'v1alpha.GenerativeService.BidiGenerateContentConstrained'
      : `${apiVersion}.GenerativeService.BidiGenerateContent`;
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws/google.ai.generativelanguage.${method}`;
  }
  url.searchParams.set(ephemeral ? 'access_token' : 'key', apiKey);
  return url.toString();
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const SENSITIVITY_THRESHOLD = { low: 0.7, medium: 0.5, high: 0.35 } as const;

/**
 * `realtimeInputConfig.automaticActivityDetection` from the agent's tuning. Gemini has two
 * start sensitivities: thresholds above 0.5 (interruption sensitivity `low`) map to LOW, the
 * rest to HIGH (the Gemini API default). Long silences (≥ 1 s) or `eagerness: low` map to
 * END_SENSITIVITY_LOW. Noise reduction and speed have no Gemini equivalent and are ignored.
 */
export function activityDetection(tuning: ModelTuning = {}): Record<string, unknown> {
  const threshold = tuning.vadThreshold ?? SENSITIVITY_THRESHOLD[tuning.interruptionSensitivity ?? 'medium'];
  const silenceDurationMs = Math.round(clamp(tuning.silenceDurationMs ?? 500, 100, 3000));
  const patient = tuning.eagerness === 'low' || silenceDurationMs >= 1000;
  return {
    disabled: false,
    startOfSpeechSensitivity: threshold > 0.5 ? 'START_SENSITIVITY_LOW' : 'START_SENSITIVITY_HIGH',
    endOfSpeechSensitivity: patient ? 'END_SENSITIVITY_LOW' : 'END_SENSITIVITY_HIGH',
    prefixPaddingMs: Math.round(clamp(tuning.prefixPaddingMs ?? 300, 0, 2000)),
    silenceDurationMs,
  };
}

/** Sliding-window compression thresholds (tokens). `false` disables compression. */
export type GeminiCompression = { triggerTokens: number; targetTokens: number } | false;
export const DEFAULT_COMPRESSION = { triggerTokens: 25_600, targetTokens: 12_800 } as const;

export interface GeminiSetupOptions {
  /** A `sessionResumptionUpdate.newHandle` to resume (reconnect after `goAway`). */
  resumeHandle?: string | undefined;
  compression?: GeminiCompression | undefined;
}

/** The first client message (`setup`) for one call (docs/realtime-gemini.md#setup). */
export function buildSetup(config: SessionConfig, options: GeminiSetupOptions = {}): Record<string, unknown> {
  const model = config.model.startsWith('models/') ? config.model : `models/${config.model}`;
  const setup: Record<string, unknown> = {
    model,
    generationConfig: {
      responseModalities: ['AUDIO'],
      speechConfig: {
        voiceConfig: { prebuiltVoiceConfig: { voiceName: config.voice ?? GEMINI_DEFAULT_VOICE } },
      },
    },
    systemInstruction: { role: 'user', parts: [{ text: config.instructions }] },
    realtimeInputConfig: {
      automaticActivityDetection: activityDetection(config.tuning),
      activityHandling: 'START_OF_ACTIVITY_INTERRUPTS',
      turnCoverage: 'TURN_INCLUDES_ONLY_ACTIVITY',
    },
    outputAudioTranscription: {},
    sessionResumption: options.resumeHandle ? { handle: options.resumeHandle } : {},
  };
  if (config.tools.length > 0) {
    setup.tools = [
      {
        functionDeclarations: config.tools.map((t) => ({
          name: t.name,
          description: t.description,
          parameters: toGeminiSchema(t.parameters),
        })),
      },
    ];
  }
  if (config.transcriptionModel !== false) setup.inputAudioTranscription = {};
  const compression = options.compression ?? DEFAULT_COMPRESSION;
  if (compression) {
    // int64 fields travel as JSON strings.
    setup.contextWindowCompression = {
      triggerTokens: String(compression.triggerTokens),
      slidingWindow: { targetTokens: String(compression.targetTokens) },
    };
  }
  return { setup };
}

/** A user text turn that makes the model answer (greeting, silence prompt, key press). */
export function textTurn(text: string | undefined): Record<string, unknown> {
  if (!text) return { clientContent: { turnComplete: true } };
  return { clientContent: { turns: [{ role: 'user', parts: [{ text }] }], turnComplete: true } };
}

/**
 * A close during setup → the connect error. Gemini reports errors only as close codes
 * (docs/realtime-gemini.md#errors-are-close-codes): 1007 invalid argument (bad setup, expired
 * key), 1008 policy / entity not found (bad model, permission), 1011 internal/quota. Mid-call
 * closes surface as `closed` with the code.
 */
export function classifyClose(code: number, reason: string): VoiceError {
  const details = { code, reason };
  if (code === 1007 || code === 1008) {
    const auth = /api key|permission|unauthori[sz]ed|forbidden/i.test(reason);
    return new VoiceError(
      auth ? 'model_auth_failed' : 'model_rejected_config',
      `gemini: ${auth ? 'credentials rejected' : 'request rejected'}`,
      { recoverable: false, details },
    );
  }
  if (code === 1011 && /quota|resource.?exhausted|rate/i.test(reason)) {
    return new VoiceError('model_rate_limited', 'gemini: quota exceeded', { recoverable: true, details });
  }
  return new VoiceError('model_connect_failed', 'gemini: closed during setup', {
    recoverable: true,
    details,
  });
}
