import { performance } from 'node:perf_hooks';
import { openAiId } from '../util/ids.ts';
import { CLIENT_EVENT_TYPES, invalidValue, missingParam, type RealtimeFailure } from './errors.ts';
import type { FakeRealtimeSession } from './session.ts';

type Ev = Record<string, unknown>;
/** A handler's outcome: the error to send back, or undefined when it went fine. */
type Outcome = RealtimeFailure | undefined;

const isObj = (v: unknown): v is Ev => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parse, record and dispatch one client frame (docs/realtime.md#openai-client-events). Failures go
 * back as `error` events.
 */
export function handleClientEvent(s: FakeRealtimeSession, raw: string, isBinary: boolean): void {
  const atMs = performance.now();
  let ev: Ev;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isObj(parsed)) throw new Error('not an object');
    ev = parsed;
  } catch {
    s.clientEvents.push({ atMs, type: '(invalid)', event: { raw: raw.slice(0, 200), binary: isBinary } });
    s.sendError(
      { code: 'invalid_json', message: 'We could not parse the JSON body of your request.', param: null },
      null,
    );
    return;
  }
  const eventId = typeof ev.event_id === 'string' ? ev.event_id : null;
  const failure = dispatch(s, ev, atMs);
  if (failure) s.sendError(failure, eventId);
}

function dispatch(s: FakeRealtimeSession, ev: Ev, atMs: number): Outcome {
  const type = ev.type;
  if (type === 'input_audio_buffer.append') {
    const bytes = typeof ev.audio === 'string' ? Buffer.from(ev.audio, 'base64') : null;
    // Audio is not kept in the event log (it is in `inputAudio()`): only its size.
    if (s.logAudio)
      s.clientEvents.push({
        atMs,
        type,
        event: { type, event_id: ev.event_id, audioBytes: bytes?.length ?? 0 },
      });
    if (!bytes) return missingParam('audio');
    s.appendAudio(bytes);
    return undefined;
  }
  s.clientEvents.push({ atMs, type: typeof type === 'string' ? type : '(missing)', event: ev });
  switch (type) {
    case undefined:
      return { code: 'invalid_event', message: "The 'type' field is missing.", param: null };
    case 'session.update':
      return s.updateSession(ev.session);
    case 'input_audio_buffer.commit':
      return commit(s);
    case 'input_audio_buffer.clear':
      s.input.reset();
      s.send('input_audio_buffer.cleared');
      return undefined;
    case 'conversation.item.create':
      return createItem(s, ev);
    case 'conversation.item.truncate':
      return truncate(s, ev, atMs);
    case 'conversation.item.delete':
    case 'conversation.item.retrieve':
      return itemOp(s, type, ev);
    case 'response.create':
      return responseCreate(s, ev);
    case 'response.cancel':
      return responseCancel(s, ev, atMs);
    case 'output_audio_buffer.clear':
      return {
        code: 'invalid_value',
        message: 'output_audio_buffer.clear is only supported for WebRTC and SIP sessions.',
        param: 'type',
      };
    default:
      return invalidValue('type', type, CLIENT_EVENT_TYPES);
  }
}

function commit(s: FakeRealtimeSession): Outcome {
  const ms = s.input.bufferMs;
  if (ms < 100) {
    return {
      code: 'input_audio_buffer_commit_empty',
      message: `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.`,
      param: null,
    };
  }
  const itemId = s.speechItemId ?? openAiId('item');
  s.speechItemId = null;
  const end = s.input.totalMs;
  s.commitUserAudio(itemId, end - ms, end);
  return undefined;
}

function createItem(s: FakeRealtimeSession, ev: Ev): Outcome {
  const item = ev.item;
  if (!isObj(item)) return missingParam('item');
  const t = item.type;
  if (t !== 'message' && t !== 'function_call_output' && t !== 'function_call') {
    return invalidValue('item.type', t, ['message', 'function_call', 'function_call_output']);
  }
  const id = typeof item.id === 'string' ? item.id : openAiId('item');
  if (s.conversation.has(id)) return invalidValue('item.id', id);
  let callId: string | undefined;
  let role: 'user' | 'assistant' | 'system' | undefined;
  if (t === 'function_call_output') {
    if (typeof item.call_id !== 'string') return missingParam('item.call_id');
    if (typeof item.output !== 'string') return missingParam('item.output');
    if (!s.conversation.findCall(item.call_id)) {
      return {
        code: 'invalid_value',
        message: `Tool call ID '${item.call_id}' not found in conversation.`,
        param: 'item.call_id',
      };
    }
    callId = item.call_id;
    s.toolOutputs.push({ atMs: performance.now(), callId, output: item.output });
    s.pendingToolOutput = true;
  } else if (t === 'message') {
    if (item.role !== 'user' && item.role !== 'assistant' && item.role !== 'system') {
      return invalidValue('item.role', item.role, ['user', 'assistant', 'system']);
    }
    if (!Array.isArray(item.content)) return missingParam('item.content');
    role = item.role;
    if (role === 'user') s.pendingUserInput = true;
  } else if (typeof item.call_id === 'string') {
    callId = item.call_id;
  }
  const previous = s.conversation.add({ id, type: t, role, callId, audioBytes: 0 });
  const full = { ...item, id, object: 'realtime.item', status: 'completed' };
  s.send('conversation.item.added', { previous_item_id: previous, item: full });
  s.send('conversation.item.done', { previous_item_id: previous, item: full });
  return undefined;
}

function truncate(s: FakeRealtimeSession, ev: Ev, atMs: number): Outcome {
  const { item_id: itemId, content_index: contentIndex, audio_end_ms: audioEndMs } = ev;
  if (typeof itemId !== 'string') return missingParam('item_id');
  if (typeof audioEndMs !== 'number') return missingParam('audio_end_ms');
  const item = s.conversation.get(itemId);
  const bpm = s.config.audio.output.format.type === 'audio/pcm' ? 48 : 8;
  const itemAudioMs = item ? item.audioBytes / bpm : 0;
  const record = {
    atMs,
    itemId,
    contentIndex: Number(contentIndex ?? 0),
    audioEndMs,
    itemAudioMs,
    ok: false,
    error: undefined as string | undefined,
  };
  s.truncations.push(record);
  s.noteClientAction({ type: 'truncate', atMs, itemId, audioEndMs });
  const failure = truncateFailure(item?.role, contentIndex, audioEndMs, itemAudioMs, itemId);
  if (failure) {
    record.error = failure.message;
    return failure;
  }
  record.ok = true;
  s.send('conversation.item.truncated', { item_id: itemId, content_index: 0, audio_end_ms: audioEndMs });
  return undefined;
}

function truncateFailure(
  role: string | undefined,
  contentIndex: unknown,
  audioEndMs: number,
  itemAudioMs: number,
  itemId: string,
): Outcome {
  if (role === undefined) return notFound(itemId);
  if (role !== 'assistant') {
    return { code: 'invalid_value', message: 'Only assistant messages can be truncated.', param: 'item_id' };
  }
  if (contentIndex !== 0) return invalidValue('content_index', contentIndex, ['0']);
  if (audioEndMs < 0) return invalidValue('audio_end_ms', audioEndMs);
  if (audioEndMs > itemAudioMs) {
    return {
      code: 'invalid_value',
      message: `Audio content of ${Math.round(itemAudioMs)}ms is already shorter than ${Math.round(audioEndMs)}ms`,
      param: 'audio_end_ms',
    };
  }
  return undefined;
}

function notFound(itemId: string): RealtimeFailure {
  return { code: 'invalid_value', message: `Item with item_id '${itemId}' not found.`, param: 'item_id' };
}

function itemOp(s: FakeRealtimeSession, type: string, ev: Ev): Outcome {
  const itemId = ev.item_id;
  if (typeof itemId !== 'string') return missingParam('item_id');
  const item = s.conversation.get(itemId);
  if (!item) return notFound(itemId);
  if (type === 'conversation.item.delete') {
    s.conversation.delete(itemId);
    s.send('conversation.item.deleted', { item_id: itemId });
  } else {
    s.send('conversation.item.retrieved', {
      item: { id: item.id, object: 'realtime.item', type: item.type, status: 'completed', role: item.role },
    });
  }
  return undefined;
}

function responseCreate(s: FakeRealtimeSession, ev: Ev): Outcome {
  if (s.active) {
    return {
      code: 'conversation_already_has_active_response',
      message: `Conversation already has an active response in progress: ${s.active.id}. Wait until the response is finished before creating a new one.`,
      param: null,
    };
  }
  const params = isObj(ev.response) ? ev.response : {};
  const trigger = s.pendingToolOutput ? 'tool_output' : s.pendingUserInput ? 'user_turn' : 'greeting';
  s.startResponse(trigger, params);
  return undefined;
}

function responseCancel(s: FakeRealtimeSession, ev: Ev, atMs: number): Outcome {
  const wanted = typeof ev.response_id === 'string' ? ev.response_id : null;
  const active = s.active;
  const ok = active !== null && (wanted === null || wanted === active.id);
  s.cancels.push({ atMs, by: 'client', responseId: wanted ?? active?.id ?? null, ok });
  s.noteClientAction({ type: 'cancel', atMs });
  if (!ok || !active) {
    return {
      code: 'response_cancel_not_active',
      message: 'Cancellation failed: no active response found',
      param: null,
    };
  }
  active.cancel('client_cancelled');
  return undefined;
}
