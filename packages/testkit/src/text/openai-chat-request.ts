/**
 * Reads a `POST /v1/chat/completions` body the way the API does: refuses what it refuses (with
 * its error body shape and, where known, its wording) and turns the rest into a TextConversation.
 */
import type { TextConversation } from './script.ts';

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export type Refusal = { status: number; body: OpenAIErrorBody };

const KNOWN_PARAMETERS = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'n',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'user',
  'seed',
  'service_tier',
  'store',
  'metadata',
  'modalities',
  'audio',
  'prediction',
  'reasoning_effort',
  'verbosity',
  'prompt_cache_key',
  'safety_identifier',
  'web_search_options',
]);
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function invalid(message: string, param: string | null = null, code: string | null = null): Refusal {
  return { status: 400, body: { error: { message, type: 'invalid_request_error', param, code } } };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readChatRequest(body: unknown): TextConversation | Refusal {
  if (!isObj(body)) {
    return invalid(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    );
  }
  for (const key of Object.keys(body)) {
    if (!KNOWN_PARAMETERS.has(key)) return invalid(`Unrecognized request argument supplied: ${key}`);
  }
  if (typeof body.model !== 'string' || body.model === '')
    return invalid('you must provide a model parameter');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return invalid("[] is too short - 'messages'", 'messages');
  }
  if (body.stream_options !== undefined && body.stream !== true) {
    return invalid(
      "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      'stream_options',
    );
  }
  const tools = readTools(body);
  if ('status' in tools) return tools;
  const output = readResponseFormat(body.response_format);
  if (output && 'status' in output) return output;

  const conversation: TextConversation = {
    model: body.model,
    instructions: '',
    messages: [],
    tools: tools.names,
    toolsDisabled: body.tool_choice === 'none',
    outputSchema: output?.schema,
    stream: body.stream === true,
  };
  let pending: string[] = [];
  const names = new Map<string, string>();
  for (const [i, message] of body.messages.entries()) {
    if (!isObj(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
      const role = isObj(message) ? String(message.role) : '';
      return invalid(
        `Invalid value: '${role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${i}].role`,
        'invalid_value',
      );
    }
    if (message.role !== 'tool' && pending.length) {
      return invalid(
        `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pending.join(', ')}`,
        `messages.[${i}].role`,
      );
    }
    const text = contentText(message.content);
    if (message.role === 'system' || message.role === 'developer') {
      conversation.instructions += (conversation.instructions ? '\n' : '') + text;
    } else if (message.role === 'user') {
      conversation.messages.push({ role: 'user', text });
    } else if (message.role === 'assistant') {
      const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isObj) : [];
      pending = calls.map((c) => String(c.id));
      const toolCalls = calls.map((c) => {
        const fn = isObj(c.function) ? c.function : {};
        names.set(String(c.id), String(fn.name));
        return { name: String(fn.name), arguments: parseArguments(fn.arguments) };
      });
      conversation.messages.push({ role: 'assistant', text, toolCalls });
    } else if (message.role === 'tool') {
      const id = String(message.tool_call_id);
      if (!pending.includes(id)) {
        return invalid(
          "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          `messages.[${i}].role`,
        );
      }
      pending = pending.filter((p) => p !== id);
      conversation.messages.push({ role: 'tool', name: names.get(id) ?? '', output: parseArguments(text) });
    }
  }
  if (pending.length) {
    return invalid(
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${pending.join(', ')}`,
      'messages',
    );
  }
  return conversation;
}

function readTools(body: Obj): { names: string[] } | Refusal {
  if (body.tools === undefined) {
    if (body.tool_choice !== undefined) {
      return invalid(
        "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
        'tool_choice',
      );
    }
    return { names: [] };
  }
  if (!Array.isArray(body.tools)) return invalid("Invalid type for 'tools': expected an array.", 'tools');
  const names: string[] = [];
  for (const [i, tool] of body.tools.entries()) {
    const fn = isObj(tool) && isObj(tool.function) ? tool.function : undefined;
    if (!isObj(tool) || tool.type !== 'function' || !fn) {
      return invalid(
        `Missing required parameter: 'tools[${i}].function'.`,
        `tools[${i}].function`,
        'missing_required_parameter',
      );
    }
    if (typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) {
      return invalid(
        `Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
        `tools[${i}].function.name`,
        'invalid_value',
      );
    }
    if (fn.parameters !== undefined && !(isObj(fn.parameters) && fn.parameters.type === 'object')) {
      return invalid(
        `Invalid schema for function '${fn.name}': schema must be a JSON Schema of 'type: "object"', got 'type: "${isObj(fn.parameters) ? String(fn.parameters.type) : 'None'}"'.`,
        `tools[${i}].function.parameters`,
        'invalid_function_parameters',
      );
    }
    names.push(fn.name);
  }
  return { names };
}

function readResponseFormat(format: unknown): { schema: unknown } | Refusal | undefined {
  if (format === undefined) return undefined;
  if (!isObj(format) || format.type !== 'json_schema') return undefined;
  const spec = isObj(format.json_schema) ? format.json_schema : undefined;
  if (!spec || typeof spec.name !== 'string') {
    return invalid(
      "Missing required parameter: 'response_format.json_schema.name'.",
      'response_format.json_schema.name',
      'missing_required_parameter',
    );
  }
  if (spec.strict === true) {
    const problem = strictProblem(spec.schema, '()');
    if (problem) {
      return invalid(
        `Invalid schema for response_format '${spec.name}': ${problem}`,
        'response_format',
        'invalid_json_schema',
      );
    }
  }
  return { schema: spec.schema };
}

/** Strict structured outputs: every object closed, every property required. */
function strictProblem(schema: unknown, context: string): string | undefined {
  if (!isObj(schema)) return undefined;
  if (schema.type === 'object' || isObj(schema.properties)) {
    if (schema.additionalProperties !== false) {
      return `In context=${context}, 'additionalProperties' is required to be supplied and to be false.`;
    }
    const keys = Object.keys(isObj(schema.properties) ? schema.properties : {});
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missing = keys.find((k) => !required.includes(k));
    if (missing) {
      return `In context=${context}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    }
    for (const key of keys) {
      const inner = strictProblem((schema.properties as Obj)[key], `('properties', '${key}')`);
      if (inner) return inner;
    }
  }
  for (const key of ['items', 'anyOf', '$defs'] as const) {
    const value = schema[key];
    const nested = Array.isArray(value)
      ? value
      : isObj(value)
        ? key === '$defs'
          ? Object.values(value)
          : [value]
        : [];
    for (const item of nested) {
      const inner = strictProblem(item, `('${key}')`);
      if (inner) return inner;
    }
  }
  return undefined;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : '')).join('');
  }
  return '';
}

function parseArguments(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
