import { isFailure, isObj, mergeAudio, serverVadDefaults, unknownKey } from './config-parse.ts';
import { invalidType, invalidValue, missingParam, outOfRange, type RealtimeFailure } from './errors.ts';

export type AudioFormat =
  | { type: 'audio/pcm'; rate: 24000 }
  | { type: 'audio/pcmu' }
  | { type: 'audio/pcma' };

export type TurnDetection =
  | {
      type: 'server_vad';
      threshold: number;
      prefix_padding_ms: number;
      silence_duration_ms: number;
      idle_timeout_ms: number | null;
      create_response: boolean;
      interrupt_response: boolean;
    }
  | { type: 'semantic_vad'; eagerness: string; create_response: boolean; interrupt_response: boolean };

/** The effective GA session object, as sent in `session.created` / `session.updated`. */
export interface RealtimeSessionConfig {
  type: 'realtime';
  object: 'realtime.session';
  id: string;
  model: string;
  output_modalities: Array<'audio' | 'text'>;
  instructions: string;
  tools: Array<Record<string, unknown>>;
  tool_choice: unknown;
  max_output_tokens: number | 'inf';
  tracing: unknown;
  truncation?: unknown;
  prompt: unknown;
  expires_at: number;
  audio: {
    input: {
      format: AudioFormat;
      transcription: Record<string, unknown> | null;
      noise_reduction: Record<string, unknown> | null;
      turn_detection: TurnDetection | null;
    };
    output: { format: AudioFormat; voice: string | { id: string }; speed: number };
  };
  include: string[] | null;
}

const SESSION_KEYS = new Set([
  'type',
  'model',
  'instructions',
  'output_modalities',
  'audio',
  'tools',
  'tool_choice',
  'max_output_tokens',
  'tracing',
  'truncation',
  'include',
  'prompt',
]);

/**
 * Defaults of a fresh session, as in the official `session.created` example
 * (docs/realtime.md#openai-session-update).
 */
export function defaultSessionConfig(id: string, model: string): RealtimeSessionConfig {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id,
    model,
    output_modalities: ['audio'],
    instructions: 'Your knowledge cutoff is 2023-10. You are a helpful, witty, and friendly AI.',
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    prompt: null,
    expires_at: Math.floor(Date.now() / 1000) + 3600,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        transcription: null,
        noise_reduction: null,
        turn_detection: serverVadDefaults(),
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1 },
    },
    include: null,
  };
}

/**
 * Validate a GA `session.update` payload and merge it into `current` (partial update: only the
 * fields present change). Returns the new effective config or the error the real API would send.
 * Beta-shaped fields (`modalities`, `voice`, `input_audio_format`, `turn_detection` at the top…)
 * are rejected as unknown parameters.
 */
export function applySessionUpdate(
  current: RealtimeSessionConfig,
  session: unknown,
  opts: { assistantAudioSent: boolean },
): RealtimeSessionConfig | RealtimeFailure {
  if (session === undefined) return missingParam('session');
  if (!isObj(session)) return invalidType('session', 'an object', session);
  const bad = unknownKey(session, SESSION_KEYS, 'session');
  if (bad) return bad;
  if (session.type === undefined) return missingParam('session.type');
  if (session.type !== 'realtime') return invalidValue('session.type', session.type, ['realtime']);
  const next: RealtimeSessionConfig = structuredClone(current);
  if (session.model !== undefined) next.model = String(session.model);
  if (session.instructions !== undefined) {
    if (typeof session.instructions !== 'string')
      return invalidType('session.instructions', 'a string', session.instructions);
    next.instructions = session.instructions;
  }
  if (session.output_modalities !== undefined) {
    const m = session.output_modalities;
    if (!Array.isArray(m) || m.length !== 1 || (m[0] !== 'audio' && m[0] !== 'text')) {
      return invalidValue('session.output_modalities', m, ["['audio']", "['text']"]);
    }
    next.output_modalities = [m[0]];
  }
  if (session.max_output_tokens !== undefined) {
    const v = session.max_output_tokens;
    if (v !== 'inf' && (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 4096)) {
      return typeof v === 'number'
        ? outOfRange('session.max_output_tokens', v, 1, 4096)
        : invalidValue('session.max_output_tokens', v);
    }
    next.max_output_tokens = v as number | 'inf';
  }
  for (const key of ['tool_choice', 'tracing', 'truncation', 'prompt', 'include'] as const) {
    if (session[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = session[key];
  }
  if (session.tools !== undefined) {
    const tools = parseTools(session.tools);
    if (isFailure(tools)) return tools;
    next.tools = tools;
  }
  if (session.audio !== undefined) {
    const failure = mergeAudio(next, session.audio, opts.assistantAudioSent);
    if (failure) return failure;
  }
  return next;
}

function parseTools(tools: unknown): Array<Record<string, unknown>> | RealtimeFailure {
  if (!Array.isArray(tools)) return invalidType('session.tools', 'an array', tools);
  const allowed = new Set(['type', 'name', 'description', 'parameters']);
  for (const [i, tool] of tools.entries()) {
    const path = `session.tools[${i}]`;
    if (!isObj(tool)) return invalidType(path, 'an object', tool);
    if (tool.type === 'mcp') continue;
    if (tool.type !== 'function') return invalidValue(`${path}.type`, tool.type, ['function', 'mcp']);
    const bad = unknownKey(tool, allowed, path);
    if (bad) return bad;
    if (typeof tool.name !== 'string' || tool.name === '') return missingParam(`${path}.name`);
  }
  return tools as Array<Record<string, unknown>>;
}

export { isFailure };
