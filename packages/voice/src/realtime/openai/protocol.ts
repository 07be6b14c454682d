/**
 * Pure pieces of the OpenAI Realtime GA protocol on the client side
 * (docs/realtime.md#openai-realtime-ga-adapter): capabilities, audio format mapping, the
 * `session.update` payload and the key-press message. Server events are parsed in `events.ts`.
 * No I/O here.
 */

import { PCM16_24K, PCMA_8K, PCMU_8K, sameFormat } from '@switchboard/audio';
import { PROVIDER_FACTS } from '@switchboard/shared';
import { keyPressNote } from '../../instructions.ts';
import type { AudioFormat } from '../../types.ts';
import type { ModelCapabilities, ModelTuning, SessionConfig } from '../types.ts';

export const OPENAI_REALTIME_URL = 'wss://api.openai.com/v1/realtime';
/** The voice used when the agent names none (the provider table in `@switchboard/shared`). */
export const OPENAI_DEFAULT_VOICE = PROVIDER_FACTS.openai.defaultVoice;
export const OPENAI_DEFAULT_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

export const OPENAI_CAPABILITIES: ModelCapabilities = Object.freeze({
  truncation: true,
  serverVad: true,
  // GA takes µ-law/A-law 8 kHz and PCM 24 kHz natively: Twilio audio passes through untouched.
  inputFormats: [PCMU_8K, PCMA_8K, PCM16_24K],
  outputFormat: PCMU_8K,
  autoReplyAfterToolResult: false,
  sessionResumption: false,
});

export type OpenAIAudioFormat =
  | { type: 'audio/pcmu' }
  | { type: 'audio/pcma' }
  | { type: 'audio/pcm'; rate: 24000 };

/** GA wire format for an AudioFormat, or undefined when OpenAI cannot take it natively. */
export function toOpenAIFormat(format: AudioFormat): OpenAIAudioFormat | undefined {
  if (sameFormat(format, PCMU_8K)) return { type: 'audio/pcmu' };
  if (sameFormat(format, PCMA_8K)) return { type: 'audio/pcma' };
  if (sameFormat(format, PCM16_24K)) return { type: 'audio/pcm', rate: 24000 };
  return undefined;
}

/** `wss://…/v1/realtime?model=…` (keeps an existing `model` query parameter). */
export function buildRealtimeUrl(base: string, model: string): string {
  const url = new URL(base);
  if (!url.searchParams.has('model')) url.searchParams.set('model', model);
  return url.toString();
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const SENSITIVITY_THRESHOLD = { low: 0.7, medium: 0.5, high: 0.35 } as const;

export function turnDetection(tuning: ModelTuning = {}): Record<string, unknown> {
  if (tuning.vadType === 'semantic_vad') {
    return {
      type: 'semantic_vad',
      eagerness: tuning.eagerness ?? 'auto',
      create_response: true,
      interrupt_response: true,
    };
  }
  const threshold = tuning.vadThreshold ?? SENSITIVITY_THRESHOLD[tuning.interruptionSensitivity ?? 'medium'];
  return {
    type: 'server_vad',
    threshold: clamp(threshold, 0, 1),
    prefix_padding_ms: Math.round(clamp(tuning.prefixPaddingMs ?? 300, 0, 2000)),
    // Always explicit: the documented default (500) and the server's (200) disagree
    // (docs/realtime.md#openai-traps).
    silence_duration_ms: Math.round(clamp(tuning.silenceDurationMs ?? 500, 100, 3000)),
    create_response: true,
    interrupt_response: true,
  };
}

/** The GA `session.update` client event for one call (docs/realtime.md#openai-session-update). */
export function buildSessionUpdate(
  config: SessionConfig,
  formats: { input: OpenAIAudioFormat; output: OpenAIAudioFormat },
  eventId: string,
): Record<string, unknown> {
  const tuning = config.tuning ?? {};
  const input: Record<string, unknown> = { format: formats.input, turn_detection: turnDetection(tuning) };
  if (config.transcriptionModel !== false) {
    const transcription: Record<string, unknown> = {
      model: config.transcriptionModel ?? OPENAI_DEFAULT_TRANSCRIPTION_MODEL,
    };
    const language = config.language?.split('-')[0]?.toLowerCase();
    if (language) transcription.language = language;
    input.transcription = transcription;
  }
  if (tuning.noiseReduction !== undefined) {
    input.noise_reduction = tuning.noiseReduction === 'off' ? null : { type: tuning.noiseReduction };
  }
  const output: Record<string, unknown> = {
    format: formats.output,
    voice: config.voice ?? OPENAI_DEFAULT_VOICE,
  };
  if (tuning.speed !== undefined) output.speed = clamp(tuning.speed, 0.25, 1.5);

  return {
    type: 'session.update',
    event_id: eventId,
    session: {
      type: 'realtime',
      model: config.model,
      instructions: config.instructions,
      output_modalities: ['audio'],
      audio: { input, output },
      tools: config.tools.map((t) => ({
        type: 'function',
        name: t.name,
        description: t.description,
        parameters: t.parameters,
      })),
      tool_choice: 'auto',
    },
  };
}

/** The user message that tells the model about a key press (OpenAI has no DTMF input over WebSocket). */
export function dtmfMessage(digit: string): Record<string, unknown> {
  return {
    type: 'conversation.item.create',
    item: {
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: keyPressNote(digit) }],
    },
  };
}
