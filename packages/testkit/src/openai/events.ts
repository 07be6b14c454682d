import type { RealtimeSessionConfig } from './config.ts';

/**
 * Server-event builders with the field sets of the official GA examples
 * (docs/realtime.md#openai-server-events).
 */

export interface MessageItemState {
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  transcript: string | null;
  modality: 'audio' | 'text';
}

export function messageItem(s: MessageItemState): Record<string, unknown> {
  const content =
    s.transcript === null
      ? []
      : [
          s.modality === 'audio'
            ? { type: 'output_audio', transcript: s.transcript }
            : { type: 'output_text', text: s.transcript },
        ];
  return { id: s.id, object: 'realtime.item', type: 'message', status: s.status, role: 'assistant', content };
}

export function functionCallItem(s: {
  id: string;
  status: 'in_progress' | 'completed' | 'incomplete';
  name: string;
  callId: string;
  arguments: string;
}): Record<string, unknown> {
  return {
    id: s.id,
    object: 'realtime.item',
    type: 'function_call',
    status: s.status,
    name: s.name,
    call_id: s.callId,
    arguments: s.arguments,
  };
}

export function userAudioItem(id: string, transcript: string | null): Record<string, unknown> {
  return {
    id,
    object: 'realtime.item',
    type: 'message',
    status: 'completed',
    role: 'user',
    content: [{ type: 'input_audio', transcript }],
  };
}

export interface Usage {
  total_tokens: number;
  input_tokens: number;
  output_tokens: number;
  input_token_details: {
    text_tokens: number;
    audio_tokens: number;
    image_tokens: number;
    cached_tokens: number;
    cached_tokens_details: { text_tokens: number; audio_tokens: number; image_tokens: number };
  };
  output_token_details: { text_tokens: number; audio_tokens: number };
}

/**
 * Plausible token usage: text ≈ 4 characters per token; input audio ≈ 10 tokens/s, output audio
 * ≈ 20 tokens/s; half of the previous input counted as cached.
 */
export function usage(
  input: { textChars: number; audioMs: number; cachedText: number },
  output: { textChars: number; audioMs: number },
): Usage {
  const inText = Math.ceil(input.textChars / 4);
  const inAudio = Math.ceil(input.audioMs / 100);
  const outText = Math.ceil(output.textChars / 4);
  const outAudio = Math.ceil(output.audioMs / 50);
  const cached = Math.min(inText, input.cachedText);
  return {
    total_tokens: inText + inAudio + outText + outAudio,
    input_tokens: inText + inAudio,
    output_tokens: outText + outAudio,
    input_token_details: {
      text_tokens: inText,
      audio_tokens: inAudio,
      image_tokens: 0,
      cached_tokens: cached,
      cached_tokens_details: { text_tokens: cached, audio_tokens: 0, image_tokens: 0 },
    },
    output_token_details: { text_tokens: outText, audio_tokens: outAudio },
  };
}

export function responseObject(r: {
  id: string;
  status: 'in_progress' | 'completed' | 'cancelled';
  statusDetails: unknown;
  output: unknown[];
  conversationId: string | null;
  config: RealtimeSessionConfig;
  modalities: Array<'audio' | 'text'>;
  usage: Usage | null;
  metadata: unknown;
}): Record<string, unknown> {
  return {
    object: 'realtime.response',
    id: r.id,
    status: r.status,
    status_details: r.statusDetails,
    output: r.output,
    conversation_id: r.conversationId,
    output_modalities: r.modalities,
    max_output_tokens: r.config.max_output_tokens,
    audio: { output: { format: r.config.audio.output.format, voice: r.config.audio.output.voice } },
    usage: r.usage,
    metadata: r.metadata ?? null,
  };
}

/**
 * `…input_audio_transcription.delta` + `.completed` fields for a user item
 * (docs/realtime.md#openai-server-events).
 */
export function transcriptionEvents(
  itemId: string,
  transcript: string,
): Array<[string, Record<string, unknown>]> {
  const tokens = Math.max(1, Math.ceil(transcript.length / 4));
  return [
    [
      'conversation.item.input_audio_transcription.delta',
      { item_id: itemId, content_index: 0, delta: transcript },
    ],
    [
      'conversation.item.input_audio_transcription.completed',
      {
        item_id: itemId,
        content_index: 0,
        transcript,
        usage: {
          type: 'tokens',
          total_tokens: tokens * 2,
          input_tokens: tokens,
          input_token_details: { text_tokens: 0, audio_tokens: tokens },
          output_tokens: tokens,
        },
      },
    ],
  ];
}

/** The official example's limits, used by `rate_limits.updated` unless a test passes others. */
export const DEFAULT_RATE_LIMITS = [
  { name: 'requests', limit: 1000, remaining: 999, reset_seconds: 60 },
  { name: 'tokens', limit: 50000, remaining: 49950, reset_seconds: 60 },
];
