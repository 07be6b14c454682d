/**
 * The `error` object inside an OpenAI Realtime `error` event
 * (docs/realtime.md#openai-server-events).
 */
export interface RealtimeErrorBody {
  type: 'invalid_request_error' | 'server_error';
  code: string;
  message: string;
  param: string | null;
  event_id: string | null;
}

/** A validation failure, before the client's `event_id` is attached. */
export type RealtimeFailure = Omit<RealtimeErrorBody, 'event_id' | 'type'> & {
  type?: RealtimeErrorBody['type'];
};

export function missingParam(param: string): RealtimeFailure {
  return { code: 'missing_required_parameter', message: `Missing required parameter: '${param}'.`, param };
}

export function unknownParam(param: string): RealtimeFailure {
  return { code: 'unknown_parameter', message: `Unknown parameter: '${param}'.`, param };
}

export function invalidValue(param: string, value: unknown, supported?: readonly string[]): RealtimeFailure {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  let message = `Invalid value: '${shown}'.`;
  if (supported && supported.length > 0) {
    const quoted = supported.map((s) => `'${s}'`);
    const list =
      quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}` : (quoted[0] ?? '');
    message += ` Supported values are: ${list}.`;
  }
  return { code: 'invalid_value', message, param };
}

export function invalidType(param: string, expected: string, value: unknown): RealtimeFailure {
  return {
    code: 'invalid_type',
    message: `Invalid type for '${param}': expected ${expected}, but got ${value === null ? 'null' : typeof value} instead.`,
    param,
  };
}

export function outOfRange(param: string, value: number, min: number, max: number): RealtimeFailure {
  const above = value > max;
  return {
    code: above ? 'decimal_above_max_value' : 'decimal_below_min_value',
    message: `Invalid '${param}': decimal ${above ? 'above maximum' : 'below minimum'} value. Expected a value ${
      above ? `<= ${max}` : `>= ${min}`
    }, but got ${value} instead.`,
    param,
  };
}

export const CLIENT_EVENT_TYPES = [
  'session.update',
  'input_audio_buffer.append',
  'input_audio_buffer.commit',
  'input_audio_buffer.clear',
  'conversation.item.create',
  'conversation.item.retrieve',
  'conversation.item.truncate',
  'conversation.item.delete',
  'response.create',
  'response.cancel',
  'output_audio_buffer.clear',
] as const;
