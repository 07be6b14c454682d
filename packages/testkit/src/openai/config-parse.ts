import type { AudioFormat, RealtimeSessionConfig, TurnDetection } from './config.ts';
import {
  invalidType,
  invalidValue,
  missingParam,
  outOfRange,
  type RealtimeFailure,
  unknownParam,
} from './errors.ts';

/**
 * Field-level validation of GA `session.update` payloads (docs/realtime.md#openai-session-update).
 */

const VOICES = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse', 'marin', 'cedar'];
const FORMATS = ['audio/pcm', 'audio/pcmu', 'audio/pcma'];
const SERVER_VAD_KEYS = new Set([
  'type',
  'threshold',
  'prefix_padding_ms',
  'silence_duration_ms',
  'idle_timeout_ms',
  'create_response',
  'interrupt_response',
]);
const SEMANTIC_VAD_KEYS = new Set(['type', 'eagerness', 'create_response', 'interrupt_response']);

export function serverVadDefaults(): TurnDetection {
  return {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 200,
    idle_timeout_ms: null,
    create_response: true,
    interrupt_response: true,
  };
}

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function unknownKey(
  obj: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: string,
): RealtimeFailure | null {
  for (const key of Object.keys(obj)) if (!allowed.has(key)) return unknownParam(`${path}.${key}`);
  return null;
}

export const isFailure = (v: unknown): v is RealtimeFailure =>
  isObj(v) && typeof v.code === 'string' && 'message' in v;

function parseFormat(v: unknown, path: string): AudioFormat | RealtimeFailure {
  if (!isObj(v)) return invalidType(path, 'an object', v);
  const bad = unknownKey(v, new Set(['type', 'rate']), path);
  if (bad) return bad;
  if (v.type === undefined) return missingParam(`${path}.type`);
  if (!FORMATS.includes(String(v.type))) return invalidValue(`${path}.type`, v.type, FORMATS);
  if (v.type === 'audio/pcm') {
    if (v.rate !== undefined && v.rate !== 24000) return invalidValue(`${path}.rate`, v.rate, ['24000']);
    return { type: 'audio/pcm', rate: 24000 };
  }
  return { type: v.type as 'audio/pcmu' | 'audio/pcma' };
}

function parseTurnDetection(v: unknown, path: string): TurnDetection | null | RealtimeFailure {
  if (v === null) return null;
  if (!isObj(v)) return invalidType(path, 'an object or null', v);
  if (v.type === 'server_vad') {
    const bad = unknownKey(v, SERVER_VAD_KEYS, path);
    if (bad) return bad;
    if (
      v.threshold !== undefined &&
      (typeof v.threshold !== 'number' || v.threshold < 0 || v.threshold > 1)
    ) {
      return typeof v.threshold === 'number'
        ? outOfRange(`${path}.threshold`, v.threshold, 0, 1)
        : invalidType(`${path}.threshold`, 'a number', v.threshold);
    }
    return { ...serverVadDefaults(), ...v } as TurnDetection;
  }
  if (v.type === 'semantic_vad') {
    const bad = unknownKey(v, SEMANTIC_VAD_KEYS, path);
    if (bad) return bad;
    const eagerness = v.eagerness ?? 'auto';
    if (!['low', 'medium', 'high', 'auto'].includes(String(eagerness))) {
      return invalidValue(`${path}.eagerness`, eagerness, ['low', 'medium', 'high', 'auto']);
    }
    return {
      type: 'semantic_vad',
      eagerness: String(eagerness),
      create_response: true,
      interrupt_response: true,
      ...v,
    } as TurnDetection;
  }
  if (v.type === undefined) return missingParam(`${path}.type`);
  return invalidValue(`${path}.type`, v.type, ['server_vad', 'semantic_vad']);
}

export function mergeAudio(
  next: RealtimeSessionConfig,
  audio: unknown,
  assistantAudioSent: boolean,
): RealtimeFailure | null {
  if (!isObj(audio)) return invalidType('session.audio', 'an object', audio);
  const bad = unknownKey(audio, new Set(['input', 'output']), 'session.audio');
  if (bad) return bad;
  const { input, output } = audio;
  if (input !== undefined) {
    if (!isObj(input)) return invalidType('session.audio.input', 'an object', input);
    const badIn = unknownKey(
      input,
      new Set(['format', 'transcription', 'noise_reduction', 'turn_detection']),
      'session.audio.input',
    );
    if (badIn) return badIn;
    if (input.format !== undefined) {
      const f = parseFormat(input.format, 'session.audio.input.format');
      if (isFailure(f)) return f;
      next.audio.input.format = f;
    }
    if (input.turn_detection !== undefined) {
      const td = parseTurnDetection(input.turn_detection, 'session.audio.input.turn_detection');
      if (isFailure(td)) return td;
      next.audio.input.turn_detection = td;
    }
    if (input.transcription !== undefined) next.audio.input.transcription = input.transcription as never;
    if (input.noise_reduction !== undefined)
      next.audio.input.noise_reduction = input.noise_reduction as never;
  }
  if (output !== undefined) {
    if (!isObj(output)) return invalidType('session.audio.output', 'an object', output);
    const badOut = unknownKey(output, new Set(['format', 'voice', 'speed']), 'session.audio.output');
    if (badOut) return badOut;
    if (output.format !== undefined) {
      const f = parseFormat(output.format, 'session.audio.output.format');
      if (isFailure(f)) return f;
      next.audio.output.format = f;
    }
    if (output.voice !== undefined) {
      const v = output.voice;
      const valid = (typeof v === 'string' && VOICES.includes(v)) || (isObj(v) && typeof v.id === 'string');
      if (!valid) return invalidValue('session.audio.output.voice', v, VOICES);
      if (assistantAudioSent && JSON.stringify(v) !== JSON.stringify(next.audio.output.voice)) {
        return {
          code: 'cannot_update_voice',
          message: "Cannot update a conversation's voice if assistant audio is present.",
          param: 'session.audio.output.voice',
        };
      }
      next.audio.output.voice = v as string | { id: string };
    }
    if (output.speed !== undefined) {
      const s = output.speed;
      if (typeof s !== 'number') return invalidType('session.audio.output.speed', 'a number', s);
      if (s < 0.25 || s > 1.5) return outOfRange('session.audio.output.speed', s, 0.25, 1.5);
      next.audio.output.speed = s;
    }
  }
  return null;
}
