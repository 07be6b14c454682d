/**
 * Reads a Gemini `generateContent` body the way the API does: unknown fields are refused (proto
 * JSON parsing), schemas must use the OpenAPI subset, roles are `user`/`model`, every function
 * call of a model turn needs its function response, and function calls of the current turn must
 * carry back the `thoughtSignature` they were sent with.
 */
import type { TextConversation } from './script.ts';

export interface GoogleErrorBody {
  error: { code: number; message: string; status: string; details?: unknown[] };
}
export type Refusal = { status: number; body: GoogleErrorBody };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOP_LEVEL = [
  'contents',
  'tools',
  'toolConfig',
  'safetySettings',
  'systemInstruction',
  'generationConfig',
  'cachedContent',
];
const GENERATION_CONFIG = [
  'stopSequences',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'candidateCount',
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseLogprobs',
  'logprobs',
  'thinkingConfig',
  'responseModalities',
  'speechConfig',
  'mediaResolution',
];
const SCHEMA = [
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
];
const TYPES = ['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL'];
const PART = [
  'text',
  'thought',
  'thoughtSignature',
  'functionCall',
  'functionResponse',
  'inlineData',
  'fileData',
];

export function badRequest(message: string): Refusal {
  return { status: 400, body: { error: { code: 400, message, status: 'INVALID_ARGUMENT' } } };
}

/** proto3 JSON accepts each field's lowerCamel and snake_case names. */
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
function unknownField(value: Obj, known: string[], at: string): Refusal | undefined {
  for (const key of Object.keys(value)) {
    if (!known.includes(key) && !known.map(snake).includes(key)) {
      return badRequest(
        `Invalid JSON payload received. Unknown name "${key}"${at ? ` at '${at}'` : ''}: Cannot find field.`,
      );
    }
  }
  return undefined;
}

function schemaProblem(schema: unknown, at: string, depth = 0): Refusal | undefined {
  if (!isObj(schema) || depth > 32) return undefined;
  const unknown = unknownField(schema, SCHEMA, at);
  if (unknown) return unknown;
  if (schema.type !== undefined && !TYPES.includes(String(schema.type))) {
    return badRequest(
      `Invalid value at '${at}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), "${String(schema.type)}"`,
    );
  }
  if (isObj(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      const inner = schemaProblem(sub, `${at}.properties[${name}].value`, depth + 1);
      if (inner) return inner;
    }
  }
  if (schema.items !== undefined) return schemaProblem(schema.items, `${at}.items`, depth + 1);
  return undefined;
}

export function readGenerateRequest(
  body: unknown,
  model: string,
  stream: boolean,
  requireSignatures: boolean,
): TextConversation | Refusal {
  if (!isObj(body)) return badRequest('Invalid JSON payload received.');
  const unknown = unknownField(body, TOP_LEVEL, '');
  if (unknown) return unknown;
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    return badRequest('* GenerateContentRequest.contents: contents is not specified\n');
  }
  const generation = isObj(body.generationConfig) ? body.generationConfig : {};
  const badConfig = unknownField(generation, GENERATION_CONFIG, 'generation_config');
  if (badConfig) return badConfig;
  const badSchema = schemaProblem(generation.responseSchema, 'generation_config.response_schema');
  if (badSchema) return badSchema;
  const tools: string[] = [];
  for (const [t, tool] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    const declarations =
      isObj(tool) && Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : [];
    for (const [d, declaration] of declarations.entries()) {
      if (!isObj(declaration) || typeof declaration.name !== 'string') {
        return badRequest(
          `* GenerateContentRequest.tools[${t}].function_declarations[${d}].name: Name cannot be empty.\n`,
        );
      }
      const bad = schemaProblem(declaration.parameters, `tools[${t}].function_declarations[${d}].parameters`);
      if (bad) return bad;
      tools.push(declaration.name);
    }
  }
  const mode =
    isObj(body.toolConfig) && isObj(body.toolConfig.functionCallingConfig)
      ? body.toolConfig.functionCallingConfig.mode
      : undefined;
  const system =
    isObj(body.systemInstruction) && Array.isArray(body.systemInstruction.parts)
      ? body.systemInstruction.parts
      : [];
  const conversation: TextConversation = {
    model,
    instructions: system.map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : '')).join(''),
    messages: [],
    tools,
    toolsDisabled: mode === 'NONE',
    outputSchema:
      generation.responseMimeType === 'application/json'
        ? (generation.responseSchema ?? generation.responseJsonSchema ?? {})
        : undefined,
    stream,
  };
  return readContents(contents, conversation, requireSignatures);
}

function readContents(
  contents: unknown[],
  conversation: TextConversation,
  requireSignatures: boolean,
): TextConversation | Refusal {
  let openCalls = 0;
  // The current turn starts after the last user message with text.
  const currentTurnStart = contents.findLastIndex(
    (c) =>
      isObj(c) &&
      c.role === 'user' &&
      Array.isArray(c.parts) &&
      c.parts.some((p) => isObj(p) && typeof p.text === 'string'),
  );
  for (const [i, content] of contents.entries()) {
    if (!isObj(content) || (content.role !== 'user' && content.role !== 'model')) {
      return badRequest('Please use a valid role: user, model.');
    }
    const parts = Array.isArray(content.parts) ? content.parts.filter(isObj) : [];
    if (parts.length === 0)
      return badRequest(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`);
    for (const [p, part] of parts.entries()) {
      const bad = unknownField(part, PART, `contents[${i}].parts[${p}]`);
      if (bad) return bad;
    }
    const text = parts.map((p) => (typeof p.text === 'string' && !p.thought ? p.text : '')).join('');
    const calls = parts.filter((p) => isObj(p.functionCall));
    const responses = parts.filter((p) => isObj(p.functionResponse));
    if (responses.length && responses.length !== openCalls) {
      return badRequest(
        'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.',
      );
    }
    openCalls = 0;
    if (content.role === 'model') {
      if (
        calls.length &&
        requireSignatures &&
        i > currentTurnStart &&
        typeof calls[0]!.thoughtSignature !== 'string'
      ) {
        const name = String((calls[0]!.functionCall as Obj).name);
        return badRequest(
          `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
        );
      }
      openCalls = calls.length;
      conversation.messages.push({
        role: 'assistant',
        text,
        toolCalls: calls.map((c) => ({
          name: String((c.functionCall as Obj).name),
          arguments: (c.functionCall as Obj).args ?? {},
        })),
      });
    } else if (responses.length) {
      for (const r of responses) {
        const response = r.functionResponse as Obj;
        conversation.messages.push({ role: 'tool', name: String(response.name), output: response.response });
      }
    } else conversation.messages.push({ role: 'user', text });
  }
  return conversation;
}
