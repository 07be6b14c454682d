import { performance } from 'node:perf_hooks';
import type { FakeGeminiSession } from './session.ts';
import { contentText, parseSetup } from './setup.ts';
import { GeminiEnergyVad } from './vad.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const INVALID = 'Request contains an invalid argument.';
const CLIENT_KEYS = ['setup', 'clientContent', 'realtimeInput', 'toolResponse'];
const INPUT_MIMES = new Set(['audio/pcm;rate=16000', 'audio/pcm']);

/**
 * Parse, record and dispatch one client frame (docs/realtime-gemini.md#setup). Gemini has no error
 * event: anything invalid closes the socket with 1007 and a reason, like the real API.
 */
export function handleClientMessage(s: FakeGeminiSession, raw: string, isBinary: boolean) {
  const atMs = performance.now();
  let msg: Obj;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isObj(parsed)) throw new Error('not an object');
    msg = parsed;
  } catch {
    s.clientMessages.push({ atMs, type: '(invalid)', message: { raw: raw.slice(0, 200), binary: isBinary } });
    return s.disconnect(1007, INVALID);
  }
  const keys = Object.keys(msg);
  const type = keys[0] ?? '(empty)';
  if (keys.length !== 1 || !CLIENT_KEYS.includes(type)) {
    s.clientMessages.push({ atMs, type: '(invalid)', message: msg });
    return s.disconnect(1007, INVALID);
  }
  if (type === 'realtimeInput') return realtimeInput(s, msg.realtimeInput, atMs);
  s.clientMessages.push({ atMs, type, message: msg });
  if (type === 'setup') return setup(s, msg.setup);
  if (!s.setupReceived) return s.disconnect(1007, INVALID); // setup must come first
  if (type === 'clientContent') return clientContent(s, msg.clientContent);
  return toolResponse(s, msg.toolResponse);
}

function setup(s: FakeGeminiSession, raw: unknown) {
  const { opts } = s.services;
  if (s.setupReceived) return s.disconnect(1007, INVALID);
  s.setupReceived = true;
  const parsed = parseSetup(raw, opts.models);
  if ('detail' in parsed) {
    s.setupFailure = parsed;
    return s.disconnect(parsed.code, parsed.reason);
  }
  s.setup = parsed;
  if (opts.rejectSetup) return s.disconnect(opts.rejectSetup.code, opts.rejectSetup.reason);
  const handle = parsed.resumption?.handle;
  if (handle) {
    const conversation = s.services.resume(handle);
    if (!conversation) {
      s.setupFailure = { code: 1008, reason: 'Requested entity was not found.', detail: 'unknown handle' };
      return s.disconnect(1008, 'Requested entity was not found.');
    }
    s.conversation = conversation;
    s.resumedFrom = handle;
  } else {
    s.conversation = s.services.newConversation(s.index, parsed.model);
  }
  s.vad = parsed.vad.disabled ? null : new GeminiEnergyVad(parsed.vad, opts.vad);
  if (opts.withholdSetupComplete) return;
  if (opts.setupDelayMs) s.later(opts.setupDelayMs, () => s.completeSetup());
  else s.completeSetup();
}

function realtimeInput(s: FakeGeminiSession, input: unknown, atMs: number) {
  if (!isObj(input) || !s.setupReceived) {
    s.clientMessages.push({ atMs, type: 'realtimeInput', message: { realtimeInput: input } });
    return s.disconnect(1007, INVALID);
  }
  const audio = isObj(input.audio)
    ? input.audio
    : Array.isArray(input.mediaChunks)
      ? input.mediaChunks[0]
      : null;
  if (isObj(audio)) {
    const bytes = typeof audio.data === 'string' ? Buffer.from(audio.data, 'base64') : null;
    const mime = String(audio.mimeType ?? '');
    s.inputMimeTypes.add(mime);
    s.clientMessages.push({
      atMs,
      type: 'realtimeInput',
      message: { audioBytes: bytes?.length ?? 0, mimeType: mime },
    });
    if (!bytes || !INPUT_MIMES.has(mime) || bytes.length % 2 !== 0) return s.disconnect(1007, INVALID);
    return s.appendAudio(bytes);
  }
  s.clientMessages.push({ atMs, type: 'realtimeInput', message: { realtimeInput: input } });
  if (typeof input.text === 'string') {
    s.clientTexts.push(input.text);
    s.conversation?.history.push({ role: 'user', text: input.text });
    return respondToText(s, input.text);
  }
  if (input.activityStart !== undefined || input.activityEnd !== undefined) {
    // Only with automatic activity detection disabled.
    if (!s.setup.vad.disabled) return s.disconnect(1007, INVALID);
    s.vad ??= new GeminiEnergyVad(s.setup.vad, s.services.opts.vad);
    return s.onVad(input.activityStart !== undefined ? s.vad.forceStart() : s.vad.forceStop());
  }
  if (input.audioStreamEnd === true) {
    if (s.vad?.inSpeech) s.onVad(s.vad.forceStop());
    return;
  }
  return s.disconnect(1007, INVALID);
}

function clientContent(s: FakeGeminiSession, content: unknown) {
  if (!isObj(content)) return s.disconnect(1007, INVALID);
  const turns = content.turns === undefined ? [] : content.turns;
  if (!Array.isArray(turns)) return s.disconnect(1007, INVALID);
  const text = turns.map(contentText).join('\n');
  if (text) {
    s.clientTexts.push(text);
    s.conversation?.history.push({ role: 'user', text });
  }
  if (content.turnComplete === true) respondToText(s, text || null);
}

/** A text turn from the client: interrupts a running turn (as Gemini does), then answers. */
function respondToText(s: FakeGeminiSession, text: string | null): void {
  if (s.active) s.interruptActive();
  s.startTurn(s.pendingUserTurn ? 'user_turn' : 'greeting', text);
}

function toolResponse(s: FakeGeminiSession, raw: unknown) {
  if (!isObj(raw) || !Array.isArray(raw.functionResponses)) return s.disconnect(1007, INVALID);
  const atMs = performance.now();
  for (const r of raw.functionResponses) {
    // The Gemini API requires the id of the call (docs/realtime-gemini.md#gemini-traps).
    if (!isObj(r) || typeof r.id !== 'string' || r.id === '') return s.disconnect(1007, INVALID);
    const call = s.toolCalls.find((c) => c.id === r.id);
    const late = call?.state !== 'pending';
    s.toolResponses.push({ atMs, id: r.id, name: String(r.name ?? ''), response: r.response, late });
    if (call && !late) {
      call.state = 'answered';
      s.conversation?.history.push({ role: 'tool', text: `${call.name} → ${JSON.stringify(r.response)}` });
    }
  }
  const answered = s.toolResponses.some((r) => r.atMs === atMs && !r.late);
  if (answered && s.pendingToolCalls.length === 0 && !s.active) s.startTurn('tool_output', null);
}
