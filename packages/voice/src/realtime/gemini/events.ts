/**
 * The Gemini Live server messages the adapter acts on, parsed from the wire into one typed
 * union (docs/realtime-gemini.md#server-messages). A Gemini message is an object with one (at
 * times two) of `setupComplete`, `serverContent`, `toolCall`, `toolCallCancellation`, `goAway`,
 * `sessionResumptionUpdate`, `usageMetadata`; one message becomes a list of events in the order
 * the adapter handles them. Everything else (`generationComplete`, `voiceActivity`, text parts,
 * which are thoughts for an audio model…) is ignored here by not producing an event. Pure.
 */
import { emptyUsage } from '../../usage.ts';
import { isJsonObject, type JsonObject, numberAt, objectAt, stringAt } from '../../wire.ts';
import type { ModelUsage } from '../types.ts';

export interface GeminiFunctionCall {
  id: string;
  name: string;
  /** `args` as a JSON string (`{}` when absent). */
  arguments: string;
}

export type GeminiServerEvent =
  | { type: 'setup_complete' }
  | { type: 'usage'; usage: ModelUsage | undefined }
  /** `serverContent.interrupted`: the caller barged in (the server's activity detection). */
  | { type: 'interrupted' }
  | { type: 'input_transcription'; text: string; finished: boolean }
  /** One `inlineData` part of `modelTurn`, base64 PCM16 24 kHz. */
  | { type: 'audio'; data: string }
  | { type: 'output_transcription'; text: string }
  | { type: 'turn_complete' }
  | { type: 'tool_call'; calls: GeminiFunctionCall[] }
  | { type: 'tool_call_cancellation'; ids: string[] }
  | { type: 'resumption'; handle: string | undefined; resumable: boolean }
  | { type: 'go_away'; timeLeftMs: number | undefined }
  /** Something the adapter cannot use: reported as a recoverable `model_protocol` error. */
  | { type: 'malformed'; message: string };

/** One WebSocket frame (text or binary, as `ws` delivered it) → its events. */
export function parseServerFrame(data: unknown): GeminiServerEvent[] {
  let json: unknown;
  try {
    const text = Array.isArray(data) ? Buffer.concat(data as Buffer[]).toString() : String(data);
    json = JSON.parse(text);
  } catch {
    return [unreadable()];
  }
  return isJsonObject(json) ? toServerEvents(json) : [unreadable()];
}

/** A parsed message → its events, in handling order. */
export function toServerEvents(msg: JsonObject): GeminiServerEvent[] {
  const events: GeminiServerEvent[] = [];
  if (msg.setupComplete !== undefined) events.push({ type: 'setup_complete' });
  if (msg.usageMetadata !== undefined)
    events.push({ type: 'usage', usage: parseGeminiUsage(msg.usageMetadata) });
  if (msg.serverContent !== undefined) content(objectAt(msg.serverContent), events);
  if (msg.toolCall !== undefined) toolCall(objectAt(msg.toolCall), events);
  if (msg.toolCallCancellation !== undefined) {
    const ids = objectAt(msg.toolCallCancellation).ids;
    const callIds = Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    if (callIds.length > 0) events.push({ type: 'tool_call_cancellation', ids: callIds });
  }
  if (msg.sessionResumptionUpdate !== undefined) {
    const update = objectAt(msg.sessionResumptionUpdate);
    const handle = stringAt(update.newHandle) || undefined;
    events.push({ type: 'resumption', handle, resumable: update.resumable === true });
  }
  if (msg.goAway !== undefined) {
    events.push({ type: 'go_away', timeLeftMs: parseDurationMs(objectAt(msg.goAway).timeLeft) });
  }
  return events;
}

/** `serverContent` in the order its parts matter: barge-in first, the end of the turn last. */
function content(c: JsonObject, events: GeminiServerEvent[]): void {
  if (c.interrupted === true) events.push({ type: 'interrupted' });
  const input = objectAt(c.inputTranscription);
  if (typeof input.text === 'string' || input.finished === true) {
    events.push({
      type: 'input_transcription',
      text: stringAt(input.text) ?? '',
      finished: input.finished === true,
    });
  }
  const parts = objectAt(c.modelTurn).parts;
  if (Array.isArray(parts)) {
    for (const part of parts) {
      const inline = objectAt(objectAt(part).inlineData);
      const data = stringAt(inline.data);
      if (data && stringAt(inline.mimeType)?.startsWith('audio/pcm')) events.push({ type: 'audio', data });
    }
  }
  const output = stringAt(objectAt(c.outputTranscription).text);
  if (output) events.push({ type: 'output_transcription', text: output });
  if (c.turnComplete === true) events.push({ type: 'turn_complete' });
}

function toolCall(call: JsonObject, events: GeminiServerEvent[]): void {
  const all = Array.isArray(call.functionCalls) ? call.functionCalls.map(objectAt) : [];
  const calls: GeminiFunctionCall[] = [];
  for (const f of all) {
    const id = stringAt(f.id);
    const name = stringAt(f.name);
    if (!id || !name) continue;
    calls.push({ id, name, arguments: f.args === undefined ? '{}' : JSON.stringify(f.args) });
  }
  if (calls.length < all.length) {
    events.push({ type: 'malformed', message: 'gemini: function call without id/name' });
  }
  if (calls.length > 0) events.push({ type: 'tool_call', calls });
}

function unreadable(): GeminiServerEvent {
  return { type: 'malformed', message: 'gemini: unreadable server message' };
}

const count = (v: unknown): number => numberAt(v) ?? 0;

function byModality(details: unknown, modality: string): number {
  if (!Array.isArray(details)) return 0;
  let total = 0;
  for (const d of details) if (objectAt(d).modality === modality) total += count(objectAt(d).tokenCount);
  return total;
}

/** `usageMetadata` → ModelUsage (undefined when absent; missing counts are 0). */
export function parseGeminiUsage(raw: unknown): ModelUsage | undefined {
  if (!isJsonObject(raw)) return undefined;
  const usage = emptyUsage();
  usage.inputTokens = count(raw.promptTokenCount) + count(raw.toolUsePromptTokenCount);
  usage.outputTokens = count(raw.responseTokenCount) + count(raw.thoughtsTokenCount);
  usage.totalTokens = count(raw.totalTokenCount) || usage.inputTokens + usage.outputTokens;
  usage.cachedInputTokens = count(raw.cachedContentTokenCount);
  usage.inputAudioTokens = byModality(raw.promptTokensDetails, 'AUDIO');
  usage.inputTextTokens = byModality(raw.promptTokensDetails, 'TEXT');
  usage.outputAudioTokens = byModality(raw.responseTokensDetails, 'AUDIO');
  usage.outputTextTokens = byModality(raw.responseTokensDetails, 'TEXT');
  return usage;
}

/** Protobuf Duration JSON (`"10s"`, `"1.5s"`) → ms; undefined when unreadable. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
