/**
 * What the studio's text test chat shows beyond the widget's messages: each tool the agent ran
 * (name, arguments, a short summary of the result or error) and why a model request failed
 * (the website's visitors only get a polite "could not answer").
 */
import type { TestChatOutbound } from '@switchboard/shared';
import type { TextAgentEvent } from '@switchboard/voice';

const SUMMARY_CHARS = 300;

type ToolEvent = Extract<TextAgentEvent, { type: 'tool_call' }>;
type ErrorEvent = Extract<TextAgentEvent, { type: 'error' }>;

export function toolNotice(event: ToolEvent, args: unknown): TestChatOutbound {
  const shown = event.ok ? event.result : event.error?.message;
  return {
    type: 'tool_call',
    name: event.name,
    arguments: args,
    ok: event.ok,
    summary: shorten(typeof shown === 'string' ? shown : (JSON.stringify(shown) ?? '')),
  };
}

export function modelErrorNotice(event: ErrorEvent): Extract<TestChatOutbound, { type: 'error' }> {
  if (event.code === 'rate_limited') {
    return {
      type: 'error',
      code: 'model_rate_limited',
      message: 'The model provider is rate limiting this API key. Wait a moment and send the message again.',
    };
  }
  if (event.code === 'auth') {
    return {
      type: 'error',
      code: 'model_auth',
      message: 'The model provider refused the API key. Check it in Settings → Credentials.',
    };
  }
  return { type: 'error', code: 'model_error', message: `The model request failed: ${event.message}.` };
}

function shorten(text: string): string {
  return text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 1)}…` : text;
}
