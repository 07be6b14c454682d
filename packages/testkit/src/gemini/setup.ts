/**
 * Validation of the Gemini Live `setup` message (docs/realtime-gemini.md#setup). The real API
 * closes the socket with 1007 "Request contains an invalid argument." on anything it cannot parse,
 * so the fake does the same and records why in `failure.detail` for the test to read.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface SetupFailure {
  code: number;
  reason: string;
  /** What exactly was wrong (not on the wire). */
  detail: string;
}

/** The parts of a valid setup the fake acts on. */
export interface GeminiSetup {
  model: string;
  modality: 'AUDIO' | 'TEXT';
  voice: string | null;
  systemInstruction: string;
  tools: Array<{ name: string; description: string; parameters: unknown }>;
  vad: {
    disabled: boolean;
    startSensitivity: 'START_SENSITIVITY_HIGH' | 'START_SENSITIVITY_LOW';
    silenceDurationMs: number;
    prefixPaddingMs: number;
  };
  inputTranscription: boolean;
  outputTranscription: boolean;
  /** `sessionResumption` was present; `handle` when resuming. */
  resumption: { handle: string | null } | null;
  compression: Obj | null;
}

const INVALID = 'Request contains an invalid argument.';
const SETUP_KEYS = new Set([
  'model',
  'generationConfig',
  'systemInstruction',
  'tools',
  'realtimeInputConfig',
  'inputAudioTranscription',
  'outputAudioTranscription',
  'sessionResumption',
  'contextWindowCompression',
  'proactivity',
  'safetySettings',
]);
const GENERATION_KEYS = new Set([
  'responseModalities',
  'speechConfig',
  'temperature',
  'topP',
  'topK',
  'maxOutputTokens',
  'seed',
  'mediaResolution',
  'thinkingConfig',
  'enableAffectiveDialog',
  'candidateCount',
  'presencePenalty',
  'frequencyPenalty',
]);
const SCHEMA_TYPES = new Set([
  'TYPE_UNSPECIFIED',
  'STRING',
  'NUMBER',
  'INTEGER',
  'BOOLEAN',
  'ARRAY',
  'OBJECT',
  'NULL',
]);

const fail = (detail: string): SetupFailure => ({ code: 1007, reason: INVALID, detail });

export function parseSetup(raw: unknown, models?: readonly string[]): GeminiSetup | SetupFailure {
  if (!isObj(raw)) return fail('setup is not an object');
  for (const key of Object.keys(raw)) if (!SETUP_KEYS.has(key)) return fail(`unknown field setup.${key}`);
  const model = raw.model;
  if (typeof model !== 'string' || !model.startsWith('models/'))
    return fail('setup.model must be "models/…"');
  if (models && !models.includes(model)) {
    return {
      code: 1008,
      reason: `${model} is not found for API version v1beta, or is not supported for bidiGenerateContent.`,
      detail: 'unknown model',
    };
  }
  const gen = raw.generationConfig ?? {};
  if (!isObj(gen)) return fail('setup.generationConfig is not an object');
  for (const key of Object.keys(gen))
    if (!GENERATION_KEYS.has(key)) return fail(`unknown field generationConfig.${key}`);
  const modalities = gen.responseModalities ?? ['AUDIO'];
  if (
    !Array.isArray(modalities) ||
    modalities.length !== 1 ||
    !['AUDIO', 'TEXT'].includes(String(modalities[0]))
  ) {
    return fail('responseModalities must be ["AUDIO"] or ["TEXT"]');
  }
  const voice = (
    gen.speechConfig as { voiceConfig?: { prebuiltVoiceConfig?: { voiceName?: unknown } } } | undefined
  )?.voiceConfig?.prebuiltVoiceConfig?.voiceName;
  const tools = parseTools(raw.tools);
  if ('detail' in tools) return tools;
  const vad = parseVad(raw.realtimeInputConfig);
  if ('detail' in vad) return vad;
  const resumption = raw.sessionResumption;
  if (resumption !== undefined && !isObj(resumption)) return fail('sessionResumption is not an object');
  if (isObj(resumption) && resumption.transparent !== undefined) {
    return fail('sessionResumption.transparent is only supported on Vertex AI');
  }
  const compression = raw.contextWindowCompression;
  if (compression !== undefined && !isObj(compression))
    return fail('contextWindowCompression is not an object');
  return {
    model,
    modality: modalities[0] as 'AUDIO' | 'TEXT',
    voice: typeof voice === 'string' ? voice : null,
    systemInstruction: contentText(raw.systemInstruction),
    tools,
    vad,
    inputTranscription: raw.inputAudioTranscription !== undefined,
    outputTranscription: raw.outputAudioTranscription !== undefined,
    resumption: isObj(resumption)
      ? { handle: typeof resumption.handle === 'string' ? resumption.handle : null }
      : null,
    compression: isObj(compression) ? compression : null,
  };
}

/** Concatenated text of a `Content` (or a plain string). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!isObj(content) || !Array.isArray(content.parts)) return '';
  return content.parts.map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : '')).join('');
}

function parseTools(raw: unknown): GeminiSetup['tools'] | SetupFailure {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return fail('setup.tools is not an array');
  const out: GeminiSetup['tools'] = [];
  for (const tool of raw) {
    if (!isObj(tool)) return fail('a tool is not an object');
    const decls = tool.functionDeclarations;
    if (decls === undefined) continue; // googleSearch, codeExecution…
    if (!Array.isArray(decls)) return fail('functionDeclarations is not an array');
    for (const d of decls) {
      if (!isObj(d) || typeof d.name !== 'string' || d.name === '')
        return fail('function declaration without name');
      if (d.parameters !== undefined && d.parametersJsonSchema !== undefined) {
        return fail(`${d.name}: parameters and parametersJsonSchema are mutually exclusive`);
      }
      const bad = d.parameters === undefined ? null : badSchema(d.parameters, `${d.name}.parameters`);
      if (bad) return fail(bad);
      out.push({
        name: d.name,
        description: String(d.description ?? ''),
        parameters: d.parameters ?? d.parametersJsonSchema,
      });
    }
  }
  return out;
}

/** OpenAPI-subset Schema check: upper-case types, nested properties/items. */
function badSchema(schema: unknown, path: string): string | null {
  if (!isObj(schema)) return `${path} is not an object`;
  if (schema.type !== undefined && !SCHEMA_TYPES.has(String(schema.type)))
    return `${path}.type "${String(schema.type)}"`;
  for (const key of ['additionalProperties', '$schema', 'const', 'oneOf', 'allOf', '$ref']) {
    if (key in schema) return `${path}.${key} is not a Schema field`;
  }
  if (isObj(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      const bad = badSchema(sub, `${path}.properties.${name}`);
      if (bad) return bad;
    }
  }
  if (schema.items !== undefined) return badSchema(schema.items, `${path}.items`);
  return null;
}

function parseVad(raw: unknown): GeminiSetup['vad'] | SetupFailure {
  const defaults: GeminiSetup['vad'] = {
    disabled: false,
    startSensitivity: 'START_SENSITIVITY_HIGH',
    silenceDurationMs: 500,
    prefixPaddingMs: 20,
  };
  if (raw === undefined) return defaults;
  if (!isObj(raw)) return fail('realtimeInputConfig is not an object');
  const aad = raw.automaticActivityDetection;
  if (aad === undefined) return defaults;
  if (!isObj(aad)) return fail('automaticActivityDetection is not an object');
  const start = aad.startOfSpeechSensitivity ?? defaults.startSensitivity;
  if (start !== 'START_SENSITIVITY_HIGH' && start !== 'START_SENSITIVITY_LOW')
    return fail('startOfSpeechSensitivity');
  const end = aad.endOfSpeechSensitivity;
  if (end !== undefined && end !== 'END_SENSITIVITY_HIGH' && end !== 'END_SENSITIVITY_LOW') {
    return fail('endOfSpeechSensitivity');
  }
  for (const key of ['silenceDurationMs', 'prefixPaddingMs'] as const) {
    if (aad[key] !== undefined && (typeof aad[key] !== 'number' || (aad[key] as number) < 0))
      return fail(key);
  }
  return {
    disabled: aad.disabled === true,
    startSensitivity: start,
    silenceDurationMs: (aad.silenceDurationMs as number | undefined) ?? defaults.silenceDurationMs,
    prefixPaddingMs: (aad.prefixPaddingMs as number | undefined) ?? defaults.prefixPaddingMs,
  };
}
