/**
 * The OpenAI Realtime GA server events the adapter acts on, parsed from the wire into one typed
 * union (docs/realtime.md#openai-server-events). Every other event — `session.created`,
 * `conversation.item.added`, `rate_limits.updated`, `response.output_audio.done`… — becomes
 * `ignored`, and so does a handled event that lacks the fields the adapter needs. Pure; no I/O.
 */
import { emptyUsage } from '../../usage.ts';
import { isJsonObject, type JsonObject, numberAt, objectAt, stringAt } from '../../wire.ts';
import type { ModelSessionEvents, ModelUsage } from '../types.ts';

type ResponseStatus = ModelSessionEvents['response_done']['status'];

/** The body of an `error` event (every field optional on the wire). */
export interface OpenAIErrorBody {
  type: string | undefined;
  code: string | undefined;
  param: string | undefined;
  message: string | undefined;
  /** The `event_id` of our client event that failed, when it carried one. */
  eventId: string | undefined;
}

export type OpenAIServerEvent =
  | { type: 'session.updated' }
  | { type: 'response.created'; responseId: string }
  | { type: 'response.output_audio.delta'; itemId: string; delta: string }
  | { type: 'response.output_audio_transcript.delta'; itemId: string; delta: string }
  | { type: 'response.output_audio_transcript.done'; itemId: string; transcript: string | undefined }
  | { type: 'conversation.item.input_audio_transcription.delta'; itemId: string; delta: string }
  | {
      type: 'conversation.item.input_audio_transcription.completed';
      itemId: string;
      transcript: string | undefined;
    }
  | { type: 'conversation.item.input_audio_transcription.failed'; code: string | undefined }
  | {
      type: 'input_audio_buffer.speech_started';
      itemId: string | undefined;
      audioStartMs: number | undefined;
    }
  | { type: 'input_audio_buffer.speech_stopped'; itemId: string | undefined; audioEndMs: number | undefined }
  /**
   * `response.output_item.done` for a `function_call` item: where the tool name is read
   * (docs/realtime.md#openai-traps).
   */
  | { type: 'function_call'; callId: string; name: string; arguments: string }
  | {
      type: 'response.done';
      responseId: string | undefined;
      status: ResponseStatus;
      usage: ModelUsage | undefined;
    }
  | { type: 'error'; error: OpenAIErrorBody }
  /** A frame the adapter cannot use at all: reported as a recoverable `model_protocol` error. */
  | { type: 'malformed'; message: string }
  /** Any other event, or a handled one without the fields it needs: nothing to do. */
  | { type: 'ignored'; name: string };

const RESPONSE_STATUSES: ReadonlySet<string> = new Set(['completed', 'cancelled', 'failed', 'incomplete']);

/** One WebSocket frame → its event. Binary frames and text that is not JSON are `malformed`. */
export function parseServerFrame(data: unknown, isBinary: boolean): OpenAIServerEvent {
  if (isBinary) return unreadable();
  let json: unknown;
  try {
    json = JSON.parse(String(data));
  } catch {
    return unreadable();
  }
  return toServerEvent(json);
}

/** Parsed JSON → its event. JSON that is not an object (`null`, `42`) is ignored, not an error. */
export function toServerEvent(json: unknown): OpenAIServerEvent {
  const msg = objectAt(json);
  const name = stringAt(msg.type) ?? '';
  const ignored = { type: 'ignored', name } as const;
  const itemId = stringAt(msg.item_id);
  switch (name) {
    case 'session.updated':
      return { type: name };
    case 'response.created':
      return { type: name, responseId: stringAt(objectAt(msg.response).id) ?? '' };
    case 'response.output_audio.delta':
    case 'response.output_audio_transcript.delta':
    case 'conversation.item.input_audio_transcription.delta': {
      const delta = stringAt(msg.delta);
      return itemId && delta ? { type: name, itemId, delta } : ignored;
    }
    case 'response.output_audio_transcript.done':
    case 'conversation.item.input_audio_transcription.completed':
      return itemId ? { type: name, itemId, transcript: stringAt(msg.transcript) } : ignored;
    case 'conversation.item.input_audio_transcription.failed':
      return { type: name, code: stringAt(objectAt(msg.error).code) };
    case 'input_audio_buffer.speech_started':
      return { type: name, itemId, audioStartMs: numberAt(msg.audio_start_ms) };
    case 'input_audio_buffer.speech_stopped':
      return { type: name, itemId, audioEndMs: numberAt(msg.audio_end_ms) };
    case 'response.output_item.done':
      return outputItemDone(objectAt(msg.item)) ?? ignored;
    case 'response.done':
      return responseDone(objectAt(msg.response));
    case 'error':
      return { type: 'error', error: errorBody(objectAt(msg.error)) };
    default:
      return ignored;
  }
}

function outputItemDone(item: JsonObject): OpenAIServerEvent | undefined {
  if (item.type !== 'function_call') return undefined;
  const callId = stringAt(item.call_id);
  const name = stringAt(item.name);
  if (!callId || !name)
    return { type: 'malformed', message: 'openai: function_call item without call_id/name' };
  return { type: 'function_call', callId, name, arguments: stringAt(item.arguments) ?? '{}' };
}

function responseDone(response: JsonObject): OpenAIServerEvent {
  const status = stringAt(response.status) ?? 'completed';
  return {
    type: 'response.done',
    responseId: stringAt(response.id),
    status: (RESPONSE_STATUSES.has(status) ? status : 'completed') as ResponseStatus,
    usage: parseUsage(response.usage),
  };
}

function errorBody(error: JsonObject): OpenAIErrorBody {
  return {
    type: stringAt(error.type),
    code: stringAt(error.code),
    param: stringAt(error.param),
    message: stringAt(error.message),
    eventId: stringAt(error.event_id),
  };
}

function unreadable(): OpenAIServerEvent {
  return { type: 'malformed', message: 'openai: unreadable server event' };
}

/** `response.done.response.usage` → ModelUsage (undefined when absent; missing counts are 0). */
export function parseUsage(raw: unknown): ModelUsage | undefined {
  if (!isJsonObject(raw)) return undefined;
  const count = (v: unknown) => numberAt(v) ?? 0;
  const inDetails = objectAt(raw.input_token_details);
  const outDetails = objectAt(raw.output_token_details);
  const usage = emptyUsage();
  usage.inputTokens = count(raw.input_tokens);
  usage.outputTokens = count(raw.output_tokens);
  usage.totalTokens = count(raw.total_tokens) || usage.inputTokens + usage.outputTokens;
  usage.inputAudioTokens = count(inDetails.audio_tokens);
  usage.inputTextTokens = count(inDetails.text_tokens);
  usage.cachedInputTokens = count(inDetails.cached_tokens);
  usage.outputAudioTokens = count(outDetails.audio_tokens);
  usage.outputTextTokens = count(outDetails.text_tokens);
  return usage;
}
